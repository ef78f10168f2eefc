/**
 * File-system faults that are the machine's state, not kubeseed's bugs (a full disk, a read-only
 * mount, no permission, a file where a folder should be) turned into one-line UserErrors that name
 * the path and the cause. Anything else is rethrown unchanged: an internal error keeps its stack.
 * Guarantees: pure apart from inspecting the error; messages from core/messages.ts.
 */
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";

/** errno codes that describe the machine or the user's paths. */
const USER_CODES = new Set(["ENOENT", "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "ENOTDIR", "EISDIR", "ENAMETOOLONG", "ELOOP", "EMFILE", "ENFILE", "EFBIG", "EXDEV", "EBUSY"]);

export type FsAction = "write" | "read" | "create" | "replace" | "lock";

/** The errno code of `e`, when it is a file-system error. */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Runs `f`; a file-system fault of USER_CODES becomes a UserError "cannot ACTION PATH: REASON" with
 * `after` appended (e.g. that the previous output is unchanged). Other errors pass through.
 */
export function userFs<T>(action: FsAction, shown: string, f: () => T, after?: string, codes: ReadonlySet<string> = USER_CODES): T {
  try {
    return f();
  } catch (e) {
    throw asUserFault(e, action, shown, after, codes);
  }
}

/** userFs for an async `f`: the same conversion of the fault it rejects with. */
export async function userFsAsync<T>(action: FsAction, shown: string, f: () => Promise<T>, after?: string, codes: ReadonlySet<string> = USER_CODES): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asUserFault(e, action, shown, after, codes);
  }
}

function asUserFault(e: unknown, action: FsAction, shown: string, after: string | undefined, codes: ReadonlySet<string>): unknown {
  const code = errnoOf(e);
  if (e instanceof UserError || code === undefined || !codes.has(code)) return e;
  return new UserError(messages.io.fsFailed(action, shown, code, after));
}

/** The same for the faults a full or read-only disk causes while writing files whose paths kubeseed chose. */
export const DISK_CODES: ReadonlySet<string> = new Set(["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "EFBIG", "EMFILE", "ENFILE"]);
