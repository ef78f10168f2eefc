/**
 * The run lock: a `gen` run holds FILE.kubeseed-lock beside its secrets file and beside its output
 * directory for its whole duration, so that two runs never create two CAs for one secrets file,
 * never lose each other's update, and never interleave their renames in one output directory.
 * A second run does not wait: it fails at once, naming the file and the process that holds it.
 * Guarantees: the lock file is created exclusively (O_EXCL) and holds the owner's process id; a lock
 * whose process is gone (a run killed with SIGKILL) is taken over; release removes the lock only if
 * it is still this process's, and the folders created for it when they are still empty (a failed
 * first run leaves nothing behind). Node has no flock(2): two runs that find the same dead lock at the same
 * instant could both take it over; the window is one unlink and one create.
 */
import { closeSync, openSync, readFileSync, rmdirSync, rmSync, writeSync } from "node:fs";
import { dirname, relative } from "node:path";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { errnoOf, userFs } from "./fs-errors.js";
import { processAlive } from "./stale.js";
import { makeDirs } from "./text-file.js";

export const LOCK_SUFFIX = ".kubeseed-lock";

export interface RunLock {
  file: string;
  /** set when the lock of a run that is gone was taken over */
  note?: string;
  release(): void;
}

function holder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function create(file: string): boolean {
  try {
    const fd = openSync(file, "wx", 0o600);
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    if (errnoOf(e) === "EEXIST") return false;
    throw e;
  }
}

/**
 * Locks `target` (a file or directory path) by creating `target`.kubeseed-lock; `shown` names it in
 * messages; `dirMode` is the mode of a folder created for it. Throws a UserError when a live run holds it.
 */
export function lockRun(target: string, shown: string, dirMode = 0o755): RunLock {
  const file = `${target}${LOCK_SUFFIX}`;
  const created = userFs("lock", shown, () => makeDirs(dirname(file), dirMode));
  let note: string | undefined;
  for (let attempt = 0; ; attempt++) {
    if (userFs("lock", shown, () => create(file))) break;
    const pid = holder(file);
    // no id yet: the other run is between creating and writing the file; it holds the lock
    if (pid === undefined || processAlive(pid) || attempt > 0) throw new UserError(messages.io.locked(shown, pid, `${shown}${LOCK_SUFFIX}`));
    rmSync(file, { force: true }); // the run that held it is gone
    note = messages.io.staleRemoved(`${shown}${LOCK_SUFFIX}`, pid);
  }
  return {
    file,
    note,
    release() {
      if (holder(file) !== process.pid) return;
      rmSync(file, { force: true });
      // the folders made for the lock, innermost first, while they are empty
      for (let dir = dirname(file); created !== undefined && !relative(created, dir).startsWith(".."); dir = dirname(dir)) {
        try {
          rmdirSync(dir);
        } catch {
          break;
        }
        if (dir === created) break;
      }
    },
  };
}
