/**
 * What the semantic rules see: typed, forgiving views of the merged (not yet valid) profile.
 * Every accessor returns undefined for a value that is absent or structurally wrong, so a rule
 * runs on the valid parts of a profile and stays silent about parts zod already reports.
 * Guarantees: pure; never throws on any input (the *OrDefault accessors throw an internal error only for
 * a path without a registered default: a programming error the tests catch).
 */
import { formatIPv4, parseCidr, parseIPv4, type Cidr } from "../core/ipv4.js";
import { DEFAULT_AT } from "../model/defaults.js";
import type { Finding } from "./locate.js";
import type { PathKey } from "./merge.js";

export type Path = readonly PathKey[];

export interface IPv4Fact {
  text: string;
  n: number;
  path: Path;
}

export interface CidrFact {
  text: string;
  cidr: Cidr;
  path: Path;
}

export interface NodeFact {
  index: number;
  path: Path;
  name?: string;
  role?: string;
  address?: IPv4Fact;
  publicAddress?: IPv4Fact;
}

export interface RuleContext {
  /** a string at path */
  str(path: Path): string | undefined;
  /** an integer at path */
  num(path: Path): number | undefined;
  /** a string at path, else the profile's default there (model/defaults.ts DEFAULT_AT) */
  strOrDefault(path: Path): string;
  /** an integer at path, else the profile's default there */
  numOrDefault(path: Path): number;
  /** a boolean at path */
  bool(path: Path): boolean | undefined;
  /** whatever is at path (for shape checks: a list, a mapping) */
  value(path: Path): unknown;
  /** the strings of a list at path, with their paths (non-strings skipped) */
  strings(path: Path): { text: string; path: Path }[];
  /** a canonical dotted-quad IPv4 address at path */
  ip(path: Path): IPv4Fact | undefined;
  /** a canonical IPv4 CIDR at path */
  cidr(path: Path): CidrFact | undefined;
  /** the number of items of a list at path (0 when not a list) */
  length(path: Path): number;
  /** the mapping items of spec.nodes */
  nodes: NodeFact[];
  /** true when spec.nodes is a list whose every item has a valid role */
  rolesComplete: boolean;
}

export type Rule = (ctx: RuleContext) => Finding[];

/** The value at path in a plain document (own properties only), or undefined. */
export function valueAt(doc: unknown, path: Path): unknown {
  let v = doc;
  for (const key of path) {
    if (typeof v !== "object" || v === null || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PathKey, unknown>)[key];
  }
  return v;
}

export function ruleContext(doc: unknown): RuleContext {
  const get = (path: Path): unknown => valueAt(doc, path);
  const str = (path: Path) => {
    const v = get(path);
    return typeof v === "string" ? v : undefined;
  };
  const num = (path: Path) => {
    const v = get(path);
    return typeof v === "number" && Number.isInteger(v) ? v : undefined;
  };
  const defaultAt = (path: Path) => {
    const d = DEFAULT_AT[path.join(".")];
    if (d === undefined) throw new Error(`internal: no default at ${path.join(".")} (model/defaults.ts DEFAULT_AT)`);
    return d;
  };
  const strOrDefault = (path: Path) => str(path) ?? String(defaultAt(path));
  const numOrDefault = (path: Path) => num(path) ?? Number(defaultAt(path));
  const bool = (path: Path) => {
    const v = get(path);
    return typeof v === "boolean" ? v : undefined;
  };
  const ip = (path: Path): IPv4Fact | undefined => {
    const text = str(path);
    const n = text === undefined ? undefined : parseIPv4(text);
    return n !== undefined && formatIPv4(n) === text ? { text, n, path } : undefined;
  };
  const cidr = (path: Path): CidrFact | undefined => {
    const text = str(path);
    const c = text === undefined ? undefined : parseCidr(text);
    const [addr] = (text ?? "").split("/");
    const n = parseIPv4(addr);
    return c && n !== undefined && formatIPv4(n) === addr ? { text: text as string, cidr: c, path } : undefined;
  };
  const strings = (path: Path) => {
    const v = get(path);
    if (!Array.isArray(v)) return [];
    return v.flatMap((item, i) => (typeof item === "string" ? [{ text: item, path: [...path, i] }] : []));
  };
  const list = get(["spec", "nodes"]);
  const items = Array.isArray(list) ? list : [];
  const nodes: NodeFact[] = items.flatMap((item, index) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return [];
    const path = ["spec", "nodes", index];
    const role = str([...path, "role"]);
    return [{ index, path, name: str([...path, "name"]), role, address: ip([...path, "address"]), publicAddress: ip([...path, "publicAddress"]) }];
  });
  const rolesComplete =
    Array.isArray(list) && nodes.length === items.length && nodes.every((n) => n.role === "control-plane" || n.role === "worker" || n.role === "etcd");
  const length = (path: Path) => {
    const v = get(path);
    return Array.isArray(v) ? v.length : 0;
  };
  return { str, num, strOrDefault, numOrDefault, bool, value: get, strings, ip, cidr, length, nodes, rolesComplete };
}

export function error(code: string, path: Path, message: string, hint?: string): Finding {
  return { severity: "error", code, path: [...path], message, hint };
}

export function warning(code: string, path: Path, message: string, hint?: string): Finding {
  return { severity: "warning", code, path: [...path], message, hint };
}
