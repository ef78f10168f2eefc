/**
 * plainYaml: the text yaml's `stringify` gives for plain data with the pinned options of render/yaml.ts
 * (2-space indent, no line folding), written directly: a kubeconfig, a kubeadm config or the secrets
 * file is one pass over the object instead of a yaml Document built, visited and stringified (the yaml
 * package was a fifth of a large cluster's rendering time). Used by render/yaml.ts and pki/secrets.ts.
 * It covers the block layout of plain objects and arrays (2-space indentation, sequences indented under
 * their key, `{}` and `[]` for empty ones, pairs with an undefined value left out) holding scalars yaml
 * writes as they are: single-line ASCII strings that need no quotes (plainText), safe integers,
 * booleans and null, and as a map's value, ASCII lines ending in one newline (a `|` block: scripts,
 * PEMs). Anything else — another multi-line string, a quoted one, a float, a long key, a Date, a
 * hole — answers undefined and the caller asks yaml for the whole document.
 * Guarantees: pure; whenever it answers, the answer equals yaml's output for the same data and options
 * (test/core/plain-yaml.test.ts compares both on generated and random documents).
 */

/** What YAML 1.2's core schema reads as a number, boolean or null: yaml quotes such strings. */
const RESERVED =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Printable ASCII starting with a letter, digit, `_`, `/`, `+` or `(` (no indicator, no blank, no document marker). */
const PRINTABLE = /^[A-Za-z0-9_/+(][\x20-\x7e]*$/;
/** What makes yaml quote a printable string: `: ` or ` #` inside, a blank or `:` at the end. */
const QUOTED = /: | #|[ :]$/;
/** yaml writes a longer key as an explicit `? key` */
const MAX_KEY = 1024;

/** True when yaml writes the string as it is, unquoted, on one line. */
export function plainText(s: string): boolean {
  return PRINTABLE.test(s) && !QUOTED.test(s) && !RESERVED.test(s);
}

function scalar(v: unknown): string | undefined {
  switch (typeof v) {
    case "string":
      return plainText(v) ? v : undefined;
    case "number":
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
    case "boolean":
      return v ? "true" : "false";
    default:
      return v === null ? "null" : undefined;
  }
}

type Plain = Record<string, unknown>;
/** A plain object's pairs, each value read once: key, value, key, value… */
type Pairs = unknown[];
/** A non-empty array's items. */
type Items = { items: readonly unknown[] };
const ARRAY_ITERATOR = Array.prototype[Symbol.iterator];
/** yaml takes an object carrying this symbol for one of its own nodes */
const YAML_NODE = Symbol.for("yaml.node.type");

/**
 * An object's own pairs with a defined value (yaml leaves the others out), or undefined for what yaml
 * would not write as a plain mapping: another prototype, an iterator (a sequence to yaml), yaml's mark.
 */
function pairsOf(v: object): Pairs | undefined {
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || Symbol.iterator in v || YAML_NODE in v) return undefined;
  const pairs: Pairs = [];
  for (const key of Object.keys(v)) {
    const value = (v as Plain)[key];
    if (value !== undefined) pairs.push(key, value);
  }
  return pairs;
}

/**
 * What follows `key:` or `- `: the text of a scalar or an empty collection (same line), a non-empty
 * map's pairs or a non-empty array's items (lines below), or undefined when out of scope.
 */
function valueOf(v: unknown): string | Pairs | Items | undefined {
  if (Array.isArray(v)) {
    if (v[Symbol.iterator] !== ARRAY_ITERATOR) return undefined;
    return v.length === 0 ? "[]" : { items: v };
  }
  if (typeof v === "object" && v !== null) {
    const pairs = pairsOf(v);
    return pairs && pairs.length === 0 ? "{}" : pairs;
  }
  return scalar(v);
}

/** The lines of a non-empty map or array at `indent`, the first starting with `lead` (same width) instead. */
function lines(v: Pairs | Items, indent: string, lead: string): string | undefined {
  return Array.isArray(v) ? mapLines(v, indent, lead) : seqLines(v.items, indent, lead);
}

/**
 * Lines yaml writes as a clipped literal block (`|`): printable ASCII or tabs, a first character that is
 * not blank, a last line that does not end in a blank, one final newline.
 */
const LITERAL = /^[\x21-\x7e][\t\x20-\x7e]*(?:\n[\t\x20-\x7e]*)*[\x21-\x7e]\n$/;

/** A map value's literal block: `|`, then each line indented one step deeper than its key (empty lines bare). */
function literal(v: unknown, indent: string): string | undefined {
  if (typeof v !== "string" || !LITERAL.test(v)) return undefined;
  const inner = indent + "  ";
  return `|\n${inner}${v.slice(0, -1).replace(/\n+/g, `$&${inner}`)}\n`;
}

/** A non-empty map's lines at `indent`, the first starting with `lead` (same width) instead. */
function mapLines(pairs: Pairs, indent: string, lead: string): string | undefined {
  let text = "";
  let prefix = lead;
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] as string;
    const v = pairs[i + 1];
    if (key.length > MAX_KEY || !plainText(key)) return undefined;
    const value = valueOf(v);
    if (value === undefined) {
      const block = literal(v, indent);
      if (block === undefined) return undefined;
      text += `${prefix}${key}: ${block}`;
    } else if (typeof value === "string") text += `${prefix}${key}: ${value}\n`;
    else {
      const below = lines(value, indent + "  ", indent + "  ");
      if (below === undefined) return undefined;
      text += `${prefix}${key}:\n${below}`;
    }
    prefix = indent;
  }
  return text;
}

/** A non-empty sequence's lines at `indent`, the first starting with `lead` (same width) instead. */
function seqLines(items: readonly unknown[], indent: string, lead: string): string | undefined {
  let text = "";
  let prefix = lead;
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) return undefined;
    const value = valueOf(items[i]);
    if (value === undefined) return undefined;
    if (typeof value === "string") text += `${prefix}- ${value}\n`;
    else {
      const below = lines(value, indent + "  ", `${prefix}- `);
      if (below === undefined) return undefined;
      text += below;
    }
    prefix = indent;
  }
  return text;
}

/** The YAML document of a plain object or array, or undefined when it holds something outside this writer's scope. */
export function plainYaml(data: unknown): string | undefined {
  const value = valueOf(data);
  if (value === undefined) return undefined;
  if (typeof value === "string") return value === "{}" || value === "[]" ? `${value}\n` : undefined;
  return lines(value, "", "");
}
