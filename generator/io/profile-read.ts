/**
 * Reads one profile file safely: whatever path a profile or its `extends:` names, kubeseed reads at
 * most MAX_PROFILE_BYTES of a regular file and only UTF-8 text.
 * Guarantees: never blocks on a FIFO or a device (opened non-blocking, refused unless a regular
 * file); refuses anything under /proc, /sys and /dev (their files look regular but are the
 * system's: /proc/self/environ holds the environment); refuses a file larger than the limit before
 * reading it whole (a /proc-like file that reports size 0 is read only up to the limit); detects
 * UTF-16 (byte-order mark or NUL bytes) and other non-UTF-8 text and says so; strips a UTF-8 BOM.
 * Returns a problem instead of throwing: profile-files.ts places it (the file, or the extends key).
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { messages } from "../core/messages.js";

const M = messages.profile;

/** A profile is a few kilobytes; 1 MiB leaves room for long keys and comments. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/** Trees whose files are the system's, not documents. */
const SYSTEM_TREES = ["/proc", "/sys", "/dev"];

export interface ReadProblem {
  code: "profile-not-a-file" | "profile-too-large" | "profile-encoding" | "profile-unreadable";
  /** the message for the file as the user sees it */
  message: (shown: string) => string;
  hint?: string;
}

function systemPath(path: string): boolean {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    /* the open below reports it */
  }
  return [path, real].some((p) => SYSTEM_TREES.some((t) => p === t || p.startsWith(`${t}/`)));
}

const problem = (code: ReadProblem["code"], message: ReadProblem["message"], hint?: string): { problem: ReadProblem } => ({ problem: { code, message, hint } });

/** The text of the profile file at `path`, or why it cannot be one. */
export function readProfileText(path: string): { text: string } | { problem: ReadProblem } {
  if (systemPath(path)) return problem("profile-not-a-file", (f) => M.systemFile(f), M.notAFileHint);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return problem("profile-unreadable", (f) => M.unreadable(f, (e as NodeJS.ErrnoException).code ?? String(e)));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return problem("profile-not-a-file", (f) => M.notAFile(f, st.isDirectory() ? "directory" : "special"), M.notAFileHint);
    if (st.size > MAX_PROFILE_BYTES) return problem("profile-too-large", (f) => M.tooLargeFile(f, MAX_PROFILE_BYTES), M.tooLargeFileHint);
    const buf = Buffer.alloc(Math.min(MAX_PROFILE_BYTES + 1, Math.max(st.size, 64 * 1024)));
    let len = 0;
    for (;;) {
      if (len === buf.length) break;
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > MAX_PROFILE_BYTES) return problem("profile-too-large", (f) => M.tooLargeFile(f, MAX_PROFILE_BYTES), M.tooLargeFileHint);
    return decode(buf.subarray(0, len));
  } catch (e) {
    return problem("profile-unreadable", (f) => M.unreadable(f, (e as NodeJS.ErrnoException).code ?? String(e)));
  } finally {
    closeSync(fd);
  }
}

function decode(bytes: Buffer): { text: string } | { problem: ReadProblem } {
  const bom16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (bom16 || bytes.subarray(0, 4096).includes(0)) {
    return problem("profile-encoding", (f) => M.encoding(f, bom16 || looksUtf16(bytes) ? "UTF-16" : "binary"), M.encodingHint);
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return problem("profile-encoding", (f) => M.encoding(f, "not UTF-8"), M.encodingHint);
  }
}

/** UTF-16 without a byte-order mark: ASCII text with every other byte NUL. */
function looksUtf16(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 512);
  let zeros = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) zeros++;
  return zeros * 3 >= head.length;
}
