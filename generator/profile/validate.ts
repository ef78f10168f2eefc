/**
 * Structural validation: the merged profile against the zod schema, every zod issue turned into a
 * finding with a stable code, a path, a message and a hint (all texts from core/messages.ts).
 * Codes: unknown-key (one per key, located at the key, with did-you-mean), missing-field,
 * invalid-type, invalid-enum, invalid-value, out-of-range, too-few-items.
 * Guarantees: pure; reports every issue zod finds; never throws on user input.
 */
import { z } from "zod";
import { messages } from "../core/messages.js";
import type { Finding } from "./locate.js";
import type { PathKey } from "./merge.js";
import { valueAt } from "./rule-context.js";
import { profileSchema, type ProfileInput } from "./schema.js";
import { didYouMean } from "./suggest.js";

const M = messages.profile;
type Issue = z.core.$ZodIssue;

/** The source text of the scalar at a path (to quote numbers back as written), if any. */
export type RawLookup = (path: readonly PathKey[]) => string | undefined;

export function validateStructure(doc: unknown, raw: RawLookup): { data?: ProfileInput; findings: Finding[] } {
  const result = profileSchema.safeParse(doc);
  if (result.success) return { data: result.data, findings: [] };
  return { findings: result.error.issues.flatMap((issue) => fromIssue(issue, doc, raw)) };
}

function fromIssue(issue: Issue, doc: unknown, raw: RawLookup): Finding[] {
  const path = issue.path.filter((p): p is PathKey => typeof p !== "symbol");
  const value = valueAt(doc, path);
  const err = (code: string, message: string, hint?: string, anchor?: Finding["anchor"]): Finding => ({ severity: "error", code, path, message, hint, anchor });
  const key = path[path.length - 1];
  const missing = (issue.code === "invalid_type" || issue.code === "invalid_value") && value === undefined;
  if (missing && typeof key === "string" && isObject(valueAt(doc, path.slice(0, -1)))) {
    return [err("missing-field", M.missingField(key), M.missingFieldHint(key, schemaAt(path)?.description))];
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = objectKeys(schemaAt(path));
      return issue.keys.map((key) => ({
        ...err("unknown-key", M.unknownKey(key), suggestion(key, allowed) ?? M.allowedKeys(allowed), "key"),
        path: [...path, key],
      }));
    }
    case "invalid_type":
      return [err("invalid-type", M.invalidType(M.types[issue.expected] ?? issue.expected, describe(value)), typeHint(issue.expected, value, raw(path)))];
    case "invalid_value": {
      const allowed = issue.values.map(String);
      if (allowed.length === 1) return [err("invalid-value", M.invalidLiteral(String(value), allowed[0]))];
      return [err("invalid-enum", M.invalidEnum(String(value), allowed), suggestion(String(value), allowed) ?? M.allowedValues(allowed))];
    }
    case "invalid_format":
      return [err("invalid-value", M.invalidFormat(String(value), issue.message), formatHint(path, String(value)))];
    case "custom": // a syntax predicate of schema.ts (profile/syntax.ts)
      if (typeof value === "string") return [err("invalid-value", M.invalidFormat(value, issue.message), formatHint(path, value))];
      return [err("invalid-value", issue.message)];
    case "too_small":
    case "too_big":
      return [sizeFinding(issue, value, err)];
    case "invalid_key": {
      const reason = issue.issues[0]?.message ?? issue.message;
      return [err("invalid-value", M.invalidKey(String(path[path.length - 1]), reason), undefined, "key")];
    }
    default:
      return [err("invalid-value", issue.message)];
  }
}

/** A number written as a string, or a string written as a number: say how to write it. */
function typeHint(expected: string, value: unknown, raw: string | undefined): string | undefined {
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) return M.quoteIt(raw ?? String(value));
  if ((expected === "number" || expected === "int") && typeof value === "string" && /^\d+$/.test(value)) return M.unquoteIt(value);
  return undefined;
}

type Err = (code: string, message: string, hint?: string) => Finding;

function sizeFinding(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown, err: Err): Finding {
  if (typeof value === "number") {
    const s = unwrap(schemaAt(issue.path as PathKey[]));
    const num = s instanceof z.ZodNumber ? s : undefined;
    return err("out-of-range", M.outOfRange(value, num?.minValue ?? undefined, num?.maxValue ?? undefined));
  }
  if (issue.code === "too_small" && Array.isArray(value)) return err("too-few-items", M.tooFewItems(Number(issue.minimum)));
  if (issue.code === "too_big" && typeof value === "string") return err("invalid-value", M.invalidFormat(value, M.tooLong(Number(issue.maximum))));
  return err("invalid-value", issue.message);
}

/** Per-field hints for syntax failures, keyed by the last path element. */
const FORMAT_HINTS: Record<string, (v: string) => string | undefined> = {
  version: (v) => (/^\d+\.\d+\.\d+$/.test(v) ? M.formatHints.version(v) : undefined),
  address: () => M.formatHints.ipv4,
  publicAddress: () => M.formatHints.ipv4,
  vip: () => M.formatHints.ipv4,
  gateway: () => M.formatHints.ipv4,
  cidr: () => M.formatHints.cidr,
  podCIDR: () => M.formatHints.cidr,
  serviceCIDR: () => M.formatHints.cidr,
  name: lowerCaseHint,
  clusterName: lowerCaseHint,
  host: lowerCaseHint,
  caValidity: () => M.formatHints.duration,
  certValidity: () => M.formatHints.duration,
  bootstrapTokenTTL: () => M.formatHints.duration,
  renewBefore: () => M.formatHints.duration,
};

function lowerCaseHint(v: string): string | undefined {
  const fixed = v.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "");
  return fixed && fixed !== v ? M.formatHints.lowerCase(fixed) : undefined;
}

function formatHint(path: readonly PathKey[], value: string): string | undefined {
  const key = path[path.length - 1];
  return typeof key === "string" ? FORMAT_HINTS[key]?.(value) : undefined;
}

function suggestion(word: string, allowed: readonly string[]): string | undefined {
  const s = didYouMean(word, allowed);
  return s === undefined ? undefined : M.didYouMean(s);
}

/** The schema that validates the value at `path` (optional wrappers removed), if any. */
function schemaAt(path: readonly PathKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = profileSchema;
  for (const key of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject && typeof key === "string") s = (s.shape as Record<string, z.ZodType>)[key];
    else if (s instanceof z.ZodArray && typeof key === "number") s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return undefined;
  }
  return s;
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  return s instanceof z.ZodOptional ? (s.unwrap() as z.ZodType) : s;
}

function objectKeys(s: z.ZodType | undefined): string[] {
  const o = unwrap(s);
  return o instanceof z.ZodObject ? Object.keys(o.shape) : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return M.types.null;
  if (Array.isArray(v)) return M.types.array;
  if (typeof v === "object") return M.types.object;
  return typeof v === "string" ? M.shownValue(v) : String(v);
}
