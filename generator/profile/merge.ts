/**
 * The located tree and the overlay rule of `extends:`.
 *
 * A YAML document is reduced to mappings, lists and scalars; every node and every mapping key
 * remembers which source (index in the chain, 0 = most derived) and which offset it came from.
 * parse.ts builds trees, mergeChain() overlays them, locate.ts turns positions into file:line:col.
 *
 * Overlay rule (the README documents the same rule):
 *   - mapping over mapping: merged key by key, recursively; keys only in the base are kept, in the
 *     base's order; keys new in the overlay follow;
 *   - a list replaces the base value whole (an overlay's `nodes:` is the complete node list);
 *   - a scalar, or any change of kind (mapping ↔ list ↔ scalar), replaces the base value;
 *   - an explicit empty value (`key:` or `key: null`) replaces too; there is no way to delete a key.
 * Each merged node keeps the position of the file that supplied it, so diagnostics point into the
 * file that actually holds the offending value (the most-derived file that defines that path; for
 * a list, the file that supplied the list).
 * Guarantees: pure, inputs are never modified; toPlain() gives the value zod and the rules see.
 */

/** A position: index of the source in the chain (0 = most derived) and a character offset in it. */
export interface Pos {
  src: number;
  offset: number;
}

export interface MapEntry {
  keyPos: Pos;
  node: LNode;
}

export type LNode =
  | { kind: "map"; pos: Pos; entries: Map<string, MapEntry> }
  | { kind: "seq"; pos: Pos; items: LNode[] }
  | { kind: "scalar"; pos: Pos; value: unknown; /** the source text of the scalar, "" when empty */ raw: string };

/** A path element as zod and Diagnostic use it. */
export type PathKey = string | number;

/** The plain JavaScript value of a tree (mappings become objects with own properties only). */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map":
      return Object.fromEntries([...node.entries].map(([k, e]) => [k, toPlain(e.node)]));
  }
}

/** One step down: a map entry by key or a list item by index; undefined when absent. */
export function child(node: LNode, key: PathKey): { node: LNode; keyPos?: Pos } | undefined {
  if (node.kind === "map" && typeof key === "string") {
    const e = node.entries.get(key);
    return e && { node: e.node, keyPos: e.keyPos };
  }
  if (node.kind === "seq" && typeof key === "number") {
    const item = node.items[key];
    return item && { node: item };
  }
  return undefined;
}

/** The mapping without one key (used to drop `extends` before merging). */
export function withoutKey(node: LNode, key: string): LNode {
  if (node.kind !== "map" || !node.entries.has(key)) return node;
  const entries = new Map(node.entries);
  entries.delete(key);
  return { ...node, entries };
}

/** `over` laid over `base`. */
export function mergeNodes(base: LNode, over: LNode): LNode {
  if (base.kind !== "map" || over.kind !== "map") return over;
  const entries = new Map<string, MapEntry>(base.entries);
  for (const [key, entry] of over.entries) {
    const prev = entries.get(key);
    entries.set(key, prev ? { keyPos: entry.keyPos, node: mergeNodes(prev.node, entry.node) } : entry);
  }
  return { kind: "map", pos: over.pos, entries };
}

/** Merges a chain given most-derived first (as readProfileSources returns it). */
export function mergeChain(chain: readonly LNode[]): LNode | undefined {
  let merged: LNode | undefined;
  for (let i = chain.length - 1; i >= 0; i--) merged = merged ? mergeNodes(merged, chain[i]) : chain[i];
  return merged;
}
