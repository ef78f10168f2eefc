/**
 * Hostile edits of a profile's structure, for the fuzz tests (fuzz.test.ts, schema-check.test.ts): a
 * random field of a document replaced, deleted, or joined by a new key, with a hostile value (control
 * characters, shell and YAML metacharacters, huge numbers, NaN, deep lists, names of system accounts…).
 */
import fc from "fast-check";

/** Hostile scalars: what a profile field should never let through to a node or a terminal. */
export const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
  fc.constantFrom("", " ", "..", ".", "root", "core", "#30", "a\nb", "a\r\nb", "\u0000", "\u001b[2J\u001b[31m", "\u202eevil", "'", '"', "$(id)", "`id`", "a;b", "a,b=c", "KEY",
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\nKEY\n-----END PGP PUBLIC KEY BLOCK-----\n", "*", "&a", "!!binary x", ":", "- x", "{a: 1}", "null", "~", "0x1F", "1e309", ".nan", "v1.99.0", "v1.33.5",
    "10.0.0.300", "192.168.1.0/33", "eth1.100", "enp0s31f6abcdef", "ssh-ed25519 AAAA\nssh-rsa AAAA", "$6$x$y:0:0", "a".repeat(64), "a".repeat(300)),
);
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1000, 65535, 65536, 4094, 4095, Number.MAX_SAFE_INTEGER, true, false, null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 3 }),
  ),
})).value;

type Path = (string | number)[];

/** Every path of a document (mappings and lists, and their members). */
function paths(v: unknown, at: Path = []): Path[] {
  if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (typeof v === "object" && v !== null) return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return [at];
}
/** A copy of `base` with `value` at `path`, or that member deleted, or a new key `extra` beside it. */
function mutate(base: unknown, path: Path, value: unknown, mode: "set" | "delete" | "add", extra: string): unknown {
  const doc = JSON.parse(JSON.stringify(base)) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = doc;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = path[path.length - 1];
  if (mode === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (mode === "add" && !Array.isArray(parent)) parent[extra] = value;
  else parent[key] = value;
  return doc;
}

/** `base` (plain JSON data) with one hostile edit at a random path. */
export function mutatedDoc(base: unknown): fc.Arbitrary<unknown> {
  const where = paths(base).filter((p) => p.length > 0);
  return fc.tuple(fc.constantFrom(...where), hostileValue, fc.constantFrom("set" as const, "set" as const, "delete" as const, "add" as const), hostileString).map(([p, v, m, k]) => mutate(base, p, v, m, k));
}
