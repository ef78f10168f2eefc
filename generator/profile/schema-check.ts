/**
 * A quick check of a profile against its JSON Schema (schemas/profile.schema.json, which `gen schema`
 * writes from schema.ts and a test pins), without zod: the CLI loads zod (95 modules, 0.1 s of a
 * 0.35 s `gen validate`) only for a profile this does not pass, to say what is wrong with it.
 * Guarantees: pure; compiles the draft-07 subset that zod's toJSONSchema gives the profile (type,
 * const, enum, properties, required, additionalProperties, propertyNames, items, minItems, maxItems,
 * minLength, maxLength, pattern, allOf of patterns, minimum, maximum; descriptions ignored) with
 * zod's semantics where JSON Schema differs (lengths in UTF-16 code units, integers safe, numbers
 * finite), and a schema with any other keyword or shape to undefined (no quick check); the checker
 * returns the value as zod's parse gives it (objects with their keys in the schema's order, records
 * in their own) or undefined for anything zod could reject — it never passes what zod would not
 * (test/profile/schema-check.test.ts compares both on every example and on fuzzed profiles).
 */

type Json = { [key: string]: unknown };
/** The checked value as zod gives it, or NO. */
type Checker = (value: unknown) => unknown;

const NO = Symbol("no");
const IGNORED = new Set(["$schema", "description"]);
const PRIMITIVE = new Set(["string", "number", "integer", "boolean"]);

class Unsupported extends Error {}

/** The checker of `schema` (a parsed JSON Schema), or undefined when it uses more than this knows. */
export function schemaChecker(schema: unknown): ((value: unknown) => unknown) | undefined {
  let check: Checker;
  try {
    check = compile(schema);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return (value) => {
    const out = check(value);
    return out === NO ? undefined : out;
  };
}

function isJson(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function compile(s: unknown): Checker {
  if (!isJson(s) || typeof s.type !== "string") throw new Unsupported();
  const known = new Set<string>(["type"]);
  const take = <T>(key: string, is: (v: unknown) => v is T): T | undefined => {
    if (!(key in s)) return undefined;
    if (!is(s[key])) throw new Unsupported();
    known.add(key);
    return s[key];
  };
  // const and enum: a value among primitives (tested once the type is)
  const constant = take("const", (v): v is unknown => PRIMITIVE.has(typeof v));
  const members = take("enum", (v): v is unknown[] => Array.isArray(v) && v.every((m) => PRIMITIVE.has(typeof m))) ?? (constant === undefined ? undefined : [constant]);
  let check: Checker;
  switch (s.type) {
    case "string":
      check = stringChecker(take);
      break;
    case "number":
    case "integer": {
      const min = take("minimum", isNumber);
      const max = take("maximum", isNumber);
      const whole = s.type === "integer";
      check = (v) => (typeof v === "number" && (whole ? Number.isSafeInteger(v) : Number.isFinite(v)) && !(min !== undefined && v < min) && !(max !== undefined && v > max) ? v : NO);
      break;
    }
    case "boolean":
      check = (v) => (typeof v === "boolean" ? v : NO);
      break;
    case "array": {
      const items = compile(take("items", isJson));
      const min = take("minItems", isNumber) ?? 0;
      const max = take("maxItems", isNumber) ?? Infinity;
      check = (v) => {
        if (!Array.isArray(v) || v.length < min || v.length > max) return NO;
        const out = v.map(items);
        return out.includes(NO) ? NO : out;
      };
      break;
    }
    case "object":
      check = objectChecker(take);
      break;
    default:
      throw new Unsupported();
  }
  for (const key of Object.keys(s)) if (!known.has(key) && !IGNORED.has(key)) throw new Unsupported();
  if (!members) return check;
  return (v) => {
    const out = check(v);
    return out !== NO && members.includes(v) ? out : NO;
  };
}

type Take = <T>(key: string, is: (v: unknown) => v is T) => T | undefined;

function isNumber(v: unknown): v is number {
  return typeof v === "number";
}

function stringChecker(take: Take): Checker {
  const min = take("minLength", isNumber) ?? 0;
  const max = take("maxLength", isNumber) ?? Infinity;
  const pattern = take("pattern", (v): v is string => typeof v === "string");
  const all = take("allOf", (v): v is unknown[] => Array.isArray(v)) ?? [];
  const patterns = [pattern, ...all.map(patternOnly)].flatMap((p) => (p === undefined ? [] : [new RegExp(p)]));
  return (v) => (typeof v === "string" && v.length >= min && v.length <= max && patterns.every((p) => p.test(v)) ? v : NO);
}

/** An allOf member that is a string pattern and nothing else (zod's second and later .regex). */
function patternOnly(s: unknown): string {
  if (!isJson(s) || s.type !== "string" || typeof s.pattern !== "string" || Object.keys(s).some((k) => k !== "type" && k !== "pattern" && !IGNORED.has(k))) throw new Unsupported();
  return s.pattern;
}

function objectChecker(take: Take): Checker {
  const properties = take("properties", isJson);
  const required = take("required", (v): v is string[] => Array.isArray(v) && v.every((k) => typeof k === "string")) ?? [];
  const additional = take("additionalProperties", (v): v is Json | false => v === false || isJson(v));
  const names = take("propertyNames", isJson);
  if (properties) {
    // a strict object: the schema's keys only, in its order
    if (additional !== false || names) throw new Unsupported();
    const fields = Object.entries(properties).map(([key, p]) => [key, compile(p)] as const);
    const known = new Set(fields.map(([key]) => key));
    return (v) => {
      if (!isJson(v) || required.some((key) => !Object.hasOwn(v, key)) || Object.keys(v).some((key) => !known.has(key))) return NO;
      const out: Json = {};
      for (const [key, check] of fields) {
        if (!Object.hasOwn(v, key)) continue;
        const field = check(v[key]);
        if (field === NO) return NO;
        out[key] = field;
      }
      return out;
    };
  }
  // a record: every key by propertyNames, every value by additionalProperties, in the value's order
  if (!isJson(additional) || !names || required.length > 0) throw new Unsupported();
  const key = compile(names);
  const value = compile(additional);
  return (v) => {
    if (!isJson(v)) return NO;
    const out: Json = {};
    for (const [k, field] of Object.entries(v)) {
      const checked = value(field);
      if (key(k) === NO || checked === NO) return NO;
      out[k] = checked;
    }
    return out;
  };
}
