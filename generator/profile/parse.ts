/**
 * parseSource: one profile file's text → a located tree (merge.ts) with YAML positions kept.
 * Guarantees: pure; never throws on user input. YAML syntax errors become `yaml-syntax`
 * diagnostics with their line and column (and then no tree); a document that is not a mapping, or
 * an `extends` that is not a string, becomes `invalid-type`. Leading comments such as
 * `# yaml-language-server: $schema=…` are ordinary comments.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { Diagnostic } from "../core/diagnostics.js";
import { messages } from "../core/messages.js";
import { sourceLocation, type SourceText } from "./locate.js";
import type { LNode, MapEntry } from "./merge.js";

const M = messages.profile;

/** A profile file as read by io/profile-files.ts. */
export interface ProfileSource {
  /** display path, relative to cwd when possible */
  file: string;
  text: string;
}

export interface ParsedSource extends SourceText {
  /** the document's root mapping; undefined when the file has errors */
  root?: LNode;
  /** the `extends:` value, when it is a string */
  extendsRef?: { ref: string; loc: Diagnostic["loc"] };
  diagnostics: Diagnostic[];
}

/** Alias expansion limit: a profile is small; a larger tree is an alias bomb. */
const MAX_NODES = 100_000;

/** Parses one source; `src` is its index in the chain (0 = most derived). */
export function parseSource(source: ProfileSource, src: number): ParsedSource {
  const lineCounter = new LineCounter();
  const parsed: ParsedSource = { ...source, lineCounter, diagnostics: [] };
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = (path: Diagnostic["path"], offset: number, message: string, hint: string | undefined, code = "yaml-syntax") =>
    parsed.diagnostics.push({ severity: "error", code, path, message, hint, loc: sourceLocation(parsed, offset) });

  for (const e of independentErrors(doc.errors)) error([], e.pos[0], M.yamlSyntax(e.message), M.yamlHints[e.code] ?? M.yamlHints.default);
  if (parsed.diagnostics.length) return parsed;
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    error([], 0, M.emptyFile, undefined, "invalid-type");
    return parsed;
  }

  const ctx: Ctx = { doc, src, text: source.text, count: 0, stack: new Set(), onError: (off, msg) => error([], off, msg, undefined) };
  const root = convert(doc.contents, ctx);
  if (parsed.diagnostics.length) return parsed;
  if (root.kind !== "map") {
    error([], root.pos.offset, M.notAMapping(root.kind === "seq" ? "a list" : "a single value"), undefined, "invalid-type");
    return parsed;
  }
  const ext = root.entries.get("extends");
  if (ext) {
    if (ext.node.kind === "scalar" && typeof ext.node.value === "string" && ext.node.value !== "") {
      parsed.extendsRef = { ref: ext.node.value, loc: sourceLocation(parsed, ext.node.pos.offset) };
    } else {
      error(["extends"], ext.node.pos.offset, M.extendsNotString, undefined, "invalid-type");
      return parsed;
    }
  }
  parsed.root = root;
  return parsed;
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
  /** nodes being converted, to detect an alias inside its own anchor */
  stack: Set<unknown>;
  onError: (offset: number, message: string) => void;
}

function convert(node: unknown, ctx: Ctx): LNode {
  const start = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  const pos = { src: ctx.src, offset: start };
  if (++ctx.count > MAX_NODES) {
    if (ctx.count === MAX_NODES + 1) ctx.onError(start, M.tooLarge(MAX_NODES));
    return { kind: "scalar", pos, value: null, raw: "" };
  }
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc);
    if (!target || ctx.stack.has(target)) {
      ctx.onError(start, M.aliasLoop);
      return { kind: "scalar", pos, value: null, raw: "" };
    }
    return { ...convert(target, ctx), pos };
  }
  ctx.stack.add(node);
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
  }
}

/** The `extends:` reference of one source, or undefined (no key, or a file with errors). */
export function findExtends(source: ProfileSource): ParsedSource["extendsRef"] {
  return parseSource(source, 0).extendsRef;
}
