/**
 * A profile as most are written — block mappings and lists, plain scalars (folded over lines too),
 * simply quoted ones, one-line flow lists, `{}`, comments — read without the yaml package: on a cold start yaml's lexer, parser and composer take
 * about 0.15 s for a 70 KB profile (3 + 1,000 nodes), this about a tenth of that. parse.ts asks this
 * first and falls back to yaml for anything else.
 * Guarantees: pure; for any text it returns either undefined or exactly the tree, line starts and
 * identity that yaml's parse gives through parse.ts convert (same values by the YAML 1.2 core schema,
 * same offsets, same raw texts); it returns undefined for everything outside the subset — tabs,
 * carriage returns, documents markers, directives, flow mappings but `{}`, nested or multi-line flow lists,
 * anchors, aliases, tags, block scalars, quoted scalars over several lines or with escapes, keys that
 * are not plain names, empty values, duplicate keys, odd indentation, an empty document — and for everything yaml
 * would report as an error, which yaml then reports.
 * test/profile/fast-parse.test.ts compares both on every example and on fuzzed profiles.
 */
import type { LNode, MapEntry } from "./merge.js";

interface Line {
  /** column of the first content character */
  indent: number;
  /** offset of the first content character in the text */
  at: number;
  /** the line from its first content character */
  text: string;
}

class Unsupported extends Error {}
function bail(): never {
  throw new Unsupported();
}

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: +|$)/;
const NOT_KEYS = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL)$/;
/** first characters of a plain scalar in the subset ('-' only before a non-blank) */
const PLAIN_START = /^(?:[A-Za-z0-9_./~+]|-[^\s])/;

/** A plain scalar's value by the YAML 1.2 core schema, in the order yaml tries its tags. */
function coreValue(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === "t" || s[0] === "T";
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

class Reader {
  i = 0;
  nodes = 0;
  constructor(
    readonly text: string,
    readonly lines: Line[],
    readonly src: number,
    readonly maxNodes: number,
    readonly maxDepth: number,
  ) {}

  count(depth: number): void {
    if (++this.nodes > this.maxNodes || depth >= this.maxDepth) bail();
  }

  /**
   * The value written from `at` to the end of line `text` (after a key or a list's dash): a scalar,
   * a plain one continued on the following lines indented past `parent`, or a one-line flow list.
   * Advances past every line it reads.
   */
  value(text: string, at: number, parent: number): LNode {
    this.i++;
    if (text[0] === "[") return this.flowSeq(text, at);
    if (text[0] === "{") {
      // only the empty flow mapping
      if (!/^\{\}(?: +#.*)?$/.test(text)) bail();
      this.count(0);
      return { kind: "map", pos: { src: this.src, offset: at }, entries: new Map() };
    }
    const node = this.scalar(text, at);
    if (!(this.lines[this.i]?.indent > parent)) return node;
    // a plain scalar folded over the next lines: each line break is one space (no blank or comment line between)
    if (node.kind !== "scalar" || typeof node.raw !== "string" || node.raw !== text || text.includes(" #")) bail();
    const parts = [text];
    let end = at + text.length;
    while (this.lines[this.i]?.indent > parent) {
      const line = this.lines[this.i];
      if (this.text.lastIndexOf("\n", line.at) !== this.text.indexOf("\n", end)) bail();
      if (/^[-#]|: |:$| #/.test(line.text)) bail();
      parts.push(line.text);
      end = line.at + line.text.length;
      this.i++;
    }
    const value = parts.join(" ");
    return { kind: "scalar", pos: node.pos, value: coreValue(value), raw: this.text.slice(at, end) };
  }

  /** A flow list on one line: `[]`, `[a, "b", 3]` (plain or simply quoted scalars), then at most a comment. */
  flowSeq(text: string, at: number): LNode {
    this.count(0);
    const close = text.indexOf("]");
    if (close < 0 || !/^(?: +#.*)?$/.test(text.slice(close + 1))) bail();
    const items: LNode[] = [];
    const inner = text.slice(1, close);
    if (inner.trim() !== "") {
      let offset = 1;
      for (const part of inner.split(",")) {
        const lead = part.length - part.trimStart().length;
        const item = part.trim();
        if (item === "" || /[[\]{}:#]/.test(item.replace(/^"[^"]*"$|^'[^']*'$/, ""))) bail();
        items.push(this.scalar(item, at + offset + lead));
        offset += part.length + 1;
      }
    }
    return { kind: "seq", pos: { src: this.src, offset: at }, items };
  }

  /** A scalar written on one line from `at`: plain, or quoted without escapes, then at most a comment. */
  scalar(text: string, at: number): LNode {
    this.count(0);
    const pos = { src: this.src, offset: at };
    const q = text[0];
    if (q === '"' || q === "'") {
      const close = text.indexOf(q, 1);
      if (close < 0) bail();
      const inner = text.slice(1, close);
      if (q === '"' && inner.includes("\\")) bail();
      const rest = text.slice(close + 1);
      if (!/^(?: +(?:#.*)?)?$/.test(rest)) bail();
      return { kind: "scalar", pos, value: inner, raw: text.slice(0, close + 1) };
    }
    if (!PLAIN_START.test(text)) bail();
    const hash = text.indexOf(" #");
    const value = (hash < 0 ? text : text.slice(0, hash)).trimEnd();
    if (/: |:$|\t/.test(value)) bail();
    return { kind: "scalar", pos, value: coreValue(value), raw: value };
  }

  /** The block that starts at the current line, at its indentation. */
  block(depth: number): LNode {
    const line = this.lines[this.i];
    return line.text === "-" || line.text.startsWith("- ") ? this.seq(line.indent, depth) : this.map(line.indent, depth);
  }

  map(indent: number, depth: number): LNode {
    this.count(depth);
    const entries = new Map<string, MapEntry>();
    const pos = { src: this.src, offset: this.lines[this.i].at };
    while (this.i < this.lines.length && this.lines[this.i].indent === indent) {
      const line = this.lines[this.i];
      const m = KEY.exec(line.text);
      if (!m || NOT_KEYS.test(m[1]) || entries.has(m[1])) bail();
      const keyPos = { src: this.src, offset: line.at };
      // a comment after the key is no value: the key's block follows
      const rest = line.text[m[0].length] === "#" ? "" : line.text.slice(m[0].length);
      this.i++;
      let node: LNode;
      if (rest === "") {
        const next = this.lines[this.i];
        if (next && next.indent > indent) node = this.block(depth + 1);
        else if (next && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) node = this.seq(indent, depth + 1);
        else bail(); // an empty value: yaml places it by what follows
      } else {
        this.i--;
        node = this.value(rest, line.at + m[0].length, indent);
      }
      entries.set(m[1], { keyPos, node });
    }
    return { kind: "map", pos, entries };
  }

  seq(indent: number, depth: number): LNode {
    this.count(depth);
    const items: LNode[] = [];
    const pos = { src: this.src, offset: this.lines[this.i].at };
    while (this.i < this.lines.length && this.lines[this.i].indent === indent && this.lines[this.i].text.startsWith("- ")) {
      const line = this.lines[this.i];
      const skip = line.text.slice(1).search(/\S/) + 1;
      const text = line.text.slice(skip);
      if (text.startsWith("-") || text.startsWith("#")) bail();
      if (KEY.test(text)) {
        // the item is a mapping that starts on the dash's line: its keys stand at this column
        this.lines[this.i] = { indent: indent + skip, at: line.at + skip, text };
        items.push(this.map(indent + skip, depth + 1));
      } else {
        items.push(this.value(text, line.at + skip, indent));
      }
    }
    if (items.length === 0) bail();
    return { kind: "seq", pos, items };
  }
}

/** The tree and the line starts (as yaml's LineCounter holds them) of `text`, or undefined outside the subset. */
export function fastParse(text: string, src: number, limits: { maxNodes: number; maxDepth: number }): { root: LNode; lineStarts: number[] } | undefined {
  if (/[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]/.test(text)) return undefined;
  const lines: Line[] = [];
  const lineStarts = [0];
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    const raw = text.slice(start, end < 0 ? text.length : end);
    const indent = raw.search(/\S/);
    if (indent >= 0 && raw[indent] !== "#") {
      if (/^(?:---|\.\.\.|%)/.test(raw)) return undefined;
      lines.push({ indent, at: start + indent, text: raw.slice(indent).trimEnd() });
    }
    if (end < 0) break;
    start = end + 1;
    lineStarts.push(start);
  }
  if (lines.length === 0 || lines[0].indent !== 0) return undefined;
  const r = new Reader(text, lines, src, limits.maxNodes, limits.maxDepth);
  try {
    const root = r.block(0);
    return r.i === lines.length && root.kind === "map" ? { root, lineStarts } : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
