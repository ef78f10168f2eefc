/**
 * The `write_files:` section of a user-data document, item by item (user-data.ts joins it with the
 * rest of the document). An item is what the yaml package makes of {path, owner, permissions,
 * [encoding], content}, produced in one of three ways that give the same bytes:
 * - from a memo, when the same file was rendered before (the same script on 1,000 workers);
 * - for the contents of the two common forms — a gz+b64 text (yaml writes it as it is) and a text of
 *   plain lines ending in one newline (yaml writes a `|` block: each line indented, empty lines bare) —
 *   as the item's first lines (from yaml, memoized per path, owner, mode and encoding) followed by the
 *   content laid out exactly as yaml lays it out;
 * - from yaml itself for anything else (leading or trailing blanks, control characters, no newline).
 * test/render/cloud-init/write-files.test.ts compares the first two with yaml for generated contents.
 * Guarantees: pure; the memos are bounded (render/memo.ts).
 */
import { gzipSync, type ZlibOptions } from "node:zlib";
import { boundedMemo } from "../memo.js";
import { toYaml } from "../yaml.js";
import type { NodeFile } from "../node-input.js";

const octal = (mode: number) => "0" + mode.toString(8).padStart(3, "0");

/** write_files indents every content line by this many spaces in the block scalar */
const BLOCK_INDENT = 6;

/** Lines of a text as `text.split("\n").length` counts them, without making them. */
function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Text larger than this many characters is considered for gz+b64 (writeFileEntry). */
const PACK_MIN_CHARS = 1024;
const PACK_OPTIONS: ZlibOptions = { level: 6 };

/** base64 of the text's gzip as writeFileEntry packs it. */
function packText(contents: string): string {
  return gzipSync(Buffer.from(contents, "utf8"), PACK_OPTIONS).toString("base64");
}

/**
 * A write_files entry. With `pack`, large text that compresses well (scripts, configs) is written as
 * `gz+b64`, which cloud-init 22.4.2 decodes and its schema accepts, when that is smaller than the
 * indented plain block. PEM material does not compress and stays plain. Without `pack` everything is
 * plain: gzip of the whole document then finds what files share, which per-file gzip cannot. Binary
 * files (the PEM pack) are always gz+b64 (cloud-init writes the decoded bytes).
 */
export function writeFileEntry(f: NodeFile, pack: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = { path: f.path, owner: f.owner, permissions: octal(f.mode) };
  if (f.binary) return { ...entry, encoding: "gz+b64", content: gzipSync(f.binary, { level: 9 }).toString("base64") };
  if (pack && f.contents.length > PACK_MIN_CHARS) {
    const plainCost = f.contents.length + lineCount(f.contents) * BLOCK_INDENT;
    const packed = packText(f.contents);
    if (packed.length < plainCost * 0.8) return { ...entry, encoding: "gz+b64", content: packed };
  }
  return { ...entry, content: f.contents };
}

const WRITE_FILES = "write_files:\n";

/** yaml's item for an entry (the text after `write_files:\n`). */
export function yamlItem(entry: Record<string, unknown>): string {
  return toYaml({ write_files: [entry] }).slice(WRITE_FILES.length);
}

/** base64 of gzip data: yaml writes such a string plain, as it is (no indicator, no blank, not a number). */
const GZIP_BASE64 = /^H4sI[A-Za-z0-9+/]*={0,2}$/;
/** Lines yaml writes as a clipped `|` block: no control character, no blank first or last character, one final newline. */
const PLAIN_LINES = /^[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0a-\x1f\x7f-\x9f]*(?:\n[^\x00-\x08\x0a-\x1f\x7f-\x9f]*)*[^\s\x00-\x1f\x7f-\x9f]\n$/;
const SURROGATE = /[\uD800-\uDFFF]/;

interface Layout {
  /** the item up to `content: ` */
  head: string;
  /** the indentation of a block's lines */
  indent: string;
}

const layouts = new Map<string, Layout | null>();

/** The item's first lines and its block indentation, from yaml (two small renderings per kind of item); null if yaml lays them out otherwise. */
function layoutOf(entry: Record<string, unknown>): Layout | null {
  const key = `${entry.path}\0${entry.owner}\0${entry.permissions}\0${entry.encoding ?? ""}`;
  let layout = layouts.get(key);
  if (layout === undefined) {
    const plain = yamlItem({ ...entry, content: "x" });
    const block = /^([\s\S]*content: )\|\n( +)x\n\2y\n$/.exec(yamlItem({ ...entry, content: "x\ny\n" }));
    layout = plain.endsWith("content: x\n") && block && block[1] === plain.slice(0, -"x\n".length) ? { head: block[1], indent: block[2] } : null;
    if (layouts.size > 4096) layouts.clear();
    layouts.set(key, layout);
  }
  return layout;
}

/** The item as yaml writes it, without yaml where the content has one of the two common forms. */
export function fastYamlItem(entry: Record<string, unknown>): string {
  const content = entry.content as string;
  const layout = typeof content === "string" ? layoutOf(entry) : null;
  if (layout && GZIP_BASE64.test(content)) return `${layout.head}${content}\n`;
  if (layout && PLAIN_LINES.test(content) && !SURROGATE.test(content)) {
    return `${layout.head}|\n${layout.indent}${content.slice(0, -1).replace(/\n+/g, `$&${layout.indent}`)}\n`;
  }
  return yamlItem(entry);
}

const items = boundedMemo<string>();
/** Larger files are not looked up in the memo (comparing such a key costs as much as a miss saves; the large ones, /etc/hosts of a big cluster, differ per node anyway). */
const MEMO_MAX_CHARS = 64 * 1024;

/** `write_files:` and its items, in the order given. */
export function writeFilesYaml(files: NodeFile[], pack: boolean): string {
  if (files.length === 0) return toYaml({ write_files: [] });
  let text = WRITE_FILES;
  for (const f of files) {
    const item = () => fastYamlItem(writeFileEntry(f, pack));
    // binary files (contents "") and large ones are not memoized
    text += f.binary || f.contents.length > MEMO_MAX_CHARS ? item() : items(`${pack ? "p" : "t"}\0${f.path}\0${f.owner}\0${f.mode}\0${f.contents}`, item);
  }
  return text;
}
