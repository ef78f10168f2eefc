/**
 * parseSource: one profile file's text → a located tree (merge.ts) with YAML positions kept: read by
 * fast-parse.ts when the text is in the plain subset most profiles are written in (the same tree, a
 * tenth of the time on a cold start), else by the yaml package.
 * Guarantees: pure; never throws on user input. YAML syntax errors become `yaml-syntax`
 * diagnostics with their line and column (and then no tree): an unclosed quote at the quote, an
 * alias without anchor as such, nesting deeper than MAX_DEPTH as such (never a stack overflow); a
 * document that is not a mapping, or an `extends` that is not a string, becomes `invalid-type`.
 * `identifies` says whether the file says it is a profile (loadProfile reports nothing of the
 * content of a file that does not: see profileIdentified). Leading comments such as `# yaml-language-server: $schema=…` are ordinary
 * comments.
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Document, LineCounter } from "yaml";
import type { Diagnostic } from "../core/diagnostics.js";
import { messages } from "../core/messages.js";
import { sourceLocation, type SourceText } from "./locate.js";
import type { LNode, MapEntry } from "./merge.js";
import { fastParse } from "./fast-parse.js";

const M = messages.profile;

let loadedYaml: typeof Yaml | undefined;
/** The yaml package, loaded when a text needs it: fast-parse.ts reads most profiles without it (`gen validate` then loads none of it). */
const yaml = (): typeof Yaml => (loadedYaml ??= createRequire(import.meta.url)("yaml") as typeof Yaml);

/** yaml's LineCounter over line starts already known (the same lineStarts and linePos, without loading yaml). */
function lineCounterOf(lineStarts: number[]): LineCounter {
  const linePos = (offset: number) => {
    let low = 0;
    let high = lineStarts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lineStarts[mid] < offset) low = mid + 1;
      else high = mid;
    }
    if (lineStarts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - lineStarts[low - 1] + 1 };
  };
  return { lineStarts, addNewLine: (offset: number) => lineStarts.push(offset), linePos };
}

/** A profile file as read by io/profile-files.ts. */
export interface ProfileSource {
  /** display path, relative to cwd when possible */
  file: string;
  text: string;
}

export interface ParsedSource extends SourceText {
  /** the document's root mapping; undefined when the file has errors */
  root?: LNode;
  /** what the document says about being a profile */
  identity: Identity;
  /** the file holds no document at all (nothing to hide) */
  empty?: boolean;
  /** the `extends:` value, when it is a string */
  extendsRef?: { ref: string; loc: Diagnostic["loc"] };
  diagnostics: Diagnostic[];
}

/** Alias expansion limit: a profile is small; a larger tree is an alias bomb. */
const MAX_NODES = 100_000;
/** Nesting limit: a profile is about 6 levels deep; far deeper is hostile and would exhaust the stack. */
export const MAX_DEPTH = 64;
const API_VERSION = "kubeseed/v1";
const KIND = "ClusterProfile";

/** How far a document says it is a profile (read from whatever part of it parsed). */
export interface Identity {
  apiVersion: boolean;
  kind: boolean;
  extends: boolean;
}

function identity(doc: Document): Identity {
  const get = (key: string) => (yaml().isMap(doc.contents) ? doc.contents.get(key) : undefined);
  return { apiVersion: get("apiVersion") === API_VERSION, kind: get("kind") === KIND, extends: typeof get("extends") === "string" };
}

/** identity() of a tree fast-parse.ts read (a mapping of plain or quoted scalars at the top). */
function identityOf(root: LNode): Identity {
  const get = (key: string) => {
    const n = root.kind === "map" ? root.entries.get(key)?.node : undefined;
    return n?.kind === "scalar" ? n.value : undefined;
  };
  return { apiVersion: get("apiVersion") === API_VERSION, kind: get("kind") === KIND, extends: typeof get("extends") === "string" };
}

/** True when `text` is a profile a chain may extend: `apiVersion: kubeseed/v1` and `kind: ClusterProfile`. */
export function isProfileText(text: string): boolean {
  return profileIdentified(identity(yaml().parseDocument(text, { prettyErrors: false })), 1);
}

/**
 * Whether a file may be reported on: a base (src > 0) says `apiVersion: kubeseed/v1` and
 * `kind: ClusterProfile`; the most-derived file says one of them or names a base with `extends:`.
 * Anything else (a secrets file, /etc/passwd) could be quoted back in diagnostics, so it is not.
 */
export function profileIdentified(id: Identity, src: number): boolean {
  return src === 0 ? id.apiVersion || id.kind || id.extends : id.apiVersion && id.kind;
}

/** The last parse of each source object: io/profile-files.ts asks for `extends:` and loadProfile then parses the same file. */
const parsedBefore = new WeakMap<ProfileSource, { src: number; file: string; text: string; parsed: ParsedSource }>();

/** Parses one source; `src` is its index in the chain (0 = most derived). A source parsed before is not parsed again. */
export function parseSource(source: ProfileSource, src: number): ParsedSource {
  const before = parsedBefore.get(source);
  if (before && before.src === src && before.file === source.file && before.text === source.text) return before.parsed;
  const parsed = parseText(source, src);
  parsedBefore.set(source, { src, file: source.file, text: source.text, parsed });
  return parsed;
}

/** parseSource without its memo; `fast: false` reads with yaml even what fast-parse.ts could read (for tests). */
export function parseText(source: ProfileSource, src: number, fast = true): ParsedSource {
  // most profiles are in the subset fast-parse.ts reads; it gives yaml's very tree, or nothing
  const read = fast ? fastParse(source.text, src, { maxNodes: MAX_NODES, maxDepth: MAX_DEPTH }) : undefined;
  if (read) {
    return withRoot({ ...source, lineCounter: lineCounterOf(read.lineStarts), identity: identityOf(read.root), diagnostics: [] }, read.root);
  }
  const { LineCounter, parseDocument, isScalar } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const parsed: ParsedSource = { ...source, lineCounter, identity: identity(doc), diagnostics: [] };
  const error = (path: Diagnostic["path"], offset: number, message: string, hint: string | undefined, code = "yaml-syntax") =>
    parsed.diagnostics.push({ severity: "error", code, path, message, hint, loc: sourceLocation(parsed, offset) });

  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && doc.errors.length === 0)) {
    error([], 0, M.emptyFile, undefined, "invalid-type");
    return { ...parsed, empty: true };
  }
  for (const e of independentErrors(doc.errors)) {
    const { offset, message, hint } = describeError(doc, e);
    error([], offset, message, hint);
  }
  if (parsed.diagnostics.length) return parsed;

  const ctx: Ctx = { doc, src, text: source.text, count: 0, depth: 0, stack: new Set(), onError: (off, msg) => error([], off, msg, undefined) };
  const root = convert(doc.contents, ctx);
  if (parsed.diagnostics.length) return parsed;
  return withRoot(parsed, root);
}

/** `parsed` with its tree: a document that is not a mapping, or an `extends` that is not a string, is an error instead. */
function withRoot(parsed: ParsedSource, root: LNode): ParsedSource {
  const error = (path: Diagnostic["path"], offset: number, message: string) =>
    parsed.diagnostics.push({ severity: "error", code: "invalid-type", path, message, hint: undefined, loc: sourceLocation(parsed, offset) });
  if (root.kind !== "map") {
    error([], root.pos.offset, M.notAMapping(root.kind === "seq" ? "a list" : "a single value"));
    return parsed;
  }
  const ext = root.entries.get("extends");
  if (ext) {
    if (ext.node.kind === "scalar" && typeof ext.node.value === "string" && ext.node.value !== "") {
      parsed.extendsRef = { ref: ext.node.value, loc: sourceLocation(parsed, ext.node.pos.offset) };
    } else {
      error(["extends"], ext.node.pos.offset, M.extendsNotString);
      return parsed;
    }
  }
  parsed.root = root;
  return parsed;
}

/** A yaml error in the project's words, at the place the user must look. */
function describeError(doc: Document, e: { code: string; message: string; pos: [number, number] }): { offset: number; message: string; hint: string } {
  const hint = M.yamlHints[e.code] ?? M.yamlHints.default;
  if (e.code === "RESOURCE_EXHAUSTION") return { offset: e.pos[0], message: M.tooDeep(MAX_DEPTH), hint };
  if (e.code === "MISSING_CHAR" && /quote/.test(e.message)) {
    // the parser notices at the end of the file; the quote that opened the runaway value is at its start
    let start: number | undefined;
    yaml().visit(doc, {
      Scalar(_, node) {
        if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && node.range?.[1] === e.pos[0]) start = node.range[0];
      },
    });
    if (start !== undefined) return { offset: start, message: M.unclosedQuote, hint: M.unclosedQuoteHint };
  }
  return { offset: e.pos[0], message: M.yamlSyntax(e.message), hint };
}

/**
 * After the first structural YAML error the parser's later errors are mostly its consequences
 * (one tab gives a dozen), so only that first one is reported; duplicate keys are independent of
 * each other and of it, and are all reported.
 */
function independentErrors<E extends { code: string; pos: [number, number] }>(errors: readonly E[]): E[] {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const first = sorted.find((e) => e.code !== "DUPLICATE_KEY");
  return sorted.filter((e) => e === first || e.code === "DUPLICATE_KEY");
}

interface Ctx {
  doc: Document;
  src: number;
  text: string;
  count: number;
  /** current nesting depth (mappings and lists), and whether MAX_DEPTH was passed */
  depth: number;
  tooDeep?: boolean;
  /** nodes being converted, to detect an alias inside its own anchor */
  stack: Set<unknown>;
  onError: (offset: number, message: string) => void;
}

function convert(node: unknown, ctx: Ctx): LNode {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const start = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  const pos = { src: ctx.src, offset: start };
  if (++ctx.count > MAX_NODES) {
    if (ctx.count === MAX_NODES + 1) ctx.onError(start, M.tooLarge(MAX_NODES));
    return { kind: "scalar", pos, value: null, raw: "" };
  }
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc);
    if (!target || ctx.stack.has(target)) {
      ctx.onError(start, target ? M.aliasLoop : M.undefinedAlias(node.source));
      return { kind: "scalar", pos, value: null, raw: "" };
    }
    return { ...convert(target, ctx), pos };
  }
  if ((isMap(node) || isSeq(node)) && ctx.depth >= MAX_DEPTH) {
    if (!ctx.tooDeep) ctx.onError(start, M.tooDeep(MAX_DEPTH));
    ctx.tooDeep = true;
    return { kind: "scalar", pos, value: null, raw: "" };
  }
  ctx.stack.add(node);
  ctx.depth++;
  try {
    if (isMap(node)) {
      const entries = new Map<string, MapEntry>();
      for (const pair of node.items) {
        const key = pair.key;
        const keyText = isScalar(key) ? String(key.value) : String(key);
        const keyPos = { src: ctx.src, offset: (key as { range?: number[] } | null)?.range?.[0] ?? start };
        const value = pair.value === null ? ({ kind: "scalar", pos: keyPos, value: null, raw: "" } as const) : convert(pair.value, ctx);
        entries.set(keyText, { keyPos, node: value });
      }
      return { kind: "map", pos, entries };
    }
    if (isSeq(node)) return { kind: "seq", pos, items: node.items.map((item) => convert(item, ctx)) };
    if (isScalar(node)) {
      const range = node.range ?? [start, start];
      return { kind: "scalar", pos, value: node.value, raw: ctx.text.slice(range[0], range[1]) };
    }
    return { kind: "scalar", pos, value: null, raw: "" };
  } finally {
    ctx.stack.delete(node);
    ctx.depth--;
  }
}

/** The `extends:` reference of one source, or undefined (no key, or a file with errors). */
export function findExtends(source: ProfileSource): ParsedSource["extendsRef"] {
  return parseSource(source, 0).extendsRef;
}
