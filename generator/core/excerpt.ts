/**
 * How user text appears in a diagnostic: never raw. A value from a profile, a file name or a source
 * line may hold terminal escapes (ESC), NUL, line breaks, bidi overrides, or be megabytes long; shown
 * as is, it would drive the terminal, forge extra lines, or flood stderr.
 * Guarantees: pure; `escapeControls` output has no C0/C1 control character, no DEL, no Unicode line
 * or paragraph separator and no bidi control (each is shown as a visible escape such as `\x1b`,
 * `\n`, `\0`, `\u202e`); `excerpt` output is at most `max` characters of the value plus an ellipsis and
 * a note of the full length. Does not quote (messages.ts decides that).
 */

/** Longest excerpt of a value in a message. */
export const EXCERPT_MAX = 60;
/** Widest source line shown under a diagnostic (a window around the column). */
export const LINE_WINDOW = 100;

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings, overrides and isolates
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0" };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every control character replaced by a visible escape. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** A short, safe excerpt of a value: escaped, and cut after `max` characters (`…` and the length follow). */
export function excerpt(value: string, max = EXCERPT_MAX): string {
  if (value.length <= max) return escapeControls(value);
  const head = Array.from(value.slice(0, max * 2)).slice(0, max).join("");
  return `${escapeControls(head)}… (${value.length} characters)`;
}

/**
 * A source line for display under a diagnostic, with the caret column moved to match: lines wider
 * than `width` are cut to a window around `col` (`…` marks a cut), control characters are escaped.
 */
export function lineWindow(line: string, col: number, width = LINE_WINDOW): { text: string; col: number } {
  let start = 0;
  let end = line.length;
  if (line.length > width) {
    start = Math.max(0, Math.min(col - 1 - Math.floor(width / 2), line.length - width));
    end = start + width;
  }
  const head = (start > 0 ? "…" : "") + escapeControls(line.slice(start, Math.max(start, col - 1)));
  const tail = escapeControls(line.slice(Math.max(start, col - 1), end)) + (end < line.length ? "…" : "");
  return { text: head + tail, col: Array.from(head).length + 1 };
}
