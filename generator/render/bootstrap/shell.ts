/**
 * Bash quoting for the rendered scripts. Texts come from core/messages.ts, which knows nothing about
 * bash: a renderer passes `shVar("name")` where the text needs a run-time value, then `shText` turns
 * the finished text into one double-quoted bash word in which only those placeholders expand.
 * Guarantees: pure; `shQuote` and `shText` output is a single bash word whatever the input holds
 * (quotes, `$`, backquotes, backslashes, newlines); no other expansion than the named variables.
 * Does not: validate variable names beyond [A-Za-z_][A-Za-z0-9_]* (others throw: a renderer bug).
 */

const OPEN = "\u0001";
const CLOSE = "\u0002";
const PLACEHOLDER = new RegExp(`${OPEN}([^${CLOSE}]*)${CLOSE}`, "g");
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A placeholder for the bash variable `name`, to pass into a message function. */
export function shVar(name: string): string {
  if (!NAME.test(name)) throw new Error(`internal: ${JSON.stringify(name)} is not a bash variable name`);
  return `${OPEN}${name}${CLOSE}`;
}

/** A text with shVar placeholders → one double-quoted bash word; everything else stays literal. */
export function shText(text: string): string {
  const escaped = text.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/\n/g, " ");
  return `"${escaped.replace(PLACEHOLDER, (_, name: string) => `\${${name}}`)}"`;
}

/** A literal value as one single-quoted bash word. */
export function shQuote(value: string): string {
  if (value.includes(OPEN) || value.includes(CLOSE)) throw new Error("internal: a placeholder in a literal value");
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `NAME='value'` lines, in the order given, for the per-node values at the top of a script. */
export function shAssignments(values: readonly (readonly [name: string, value: string])[]): string {
  return values.map(([name, value]) => `${name}=${shQuote(value)}`).join("\n");
}

/** `NAME=(a b c)` with each element quoted. */
export function shArray(name: string, items: readonly string[]): string {
  return `${name}=(${items.map(shQuote).join(" ")})`;
}

const HEREDOC = /<<-?\s*['"]?[A-Za-z_]/;

/**
 * Bash code without its comment lines. The functions' templates keep their comments for whoever reads
 * the generator; a node gets the code alone (each script's header says what it does, how it runs and
 * where its state is), because first-boot documents have size limits (AWS: 16 KB gzipped) and these
 * comments were about a tenth of them. Only whole lines whose first non-blank character is `#` go; the
 * text must hold no here-document (whose lines are data; a renderer bug throws).
 */
export function shCode(text: string): string {
  if (HEREDOC.test(text.replace(/<<</g, ""))) throw new Error("internal: a here-document in generated bash code");
  return text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n");
}
