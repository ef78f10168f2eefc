/**
 * What an interrupted run (SIGKILL, power loss, a full disk) leaves beside its files, cleaned up by
 * the next run: the output's staging and previous directories (OUT.kubeseed-new-PID,
 * OUT.kubeseed-old-PID, which may hold CA keys), temporary archive files (OUT.tar.gz.kubeseed-tmp-PID)
 * the marker's temporary file inside the output, and the secrets file's temporary file (FILE.tmp-PID).
 * Guarantees: only names of exactly these forms are touched, and only when their process is gone
 * (never this process, never a live one, even another user's); an output that is missing while its
 * previous directory exists (the run died between its two renames) is restored from it. Returns one
 * note per action for the CLI to print. Call it while holding the run lock (run-lock.ts).
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { messages } from "../core/messages.js";
import { OUTPUT_MARKER } from "./output-owner.js";

/** True when a process with this id exists (signal 0 probes without sending). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Leftovers named `base` + one of `suffixes` + PID in `dir`, of processes that are gone. */
function leftovers(dir: string, base: string, suffixes: readonly string[]): { name: string; kind: string; pid: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const re = new RegExp(`^${escape(base)}(${suffixes.map(escape).join("|")})(\\d+)$`);
  return names.flatMap((name) => {
    const m = re.exec(name);
    const pid = m ? Number(m[2]) : 0;
    return m && pid > 0 && !processAlive(pid) ? [{ name, kind: m[1], pid }] : [];
  }).sort((a, b) => (a.kind === b.kind ? a.pid - b.pid : a.kind < b.kind ? 1 : -1)); // -old- before -new-
}

/** Cleans the leftovers of dead runs beside the output directory `out`; `show` renders a path for the notes. */
export function cleanStaleOutput(out: string, show: (p: string) => string): string[] {
  const notes: string[] = [];
  const dir = dirname(out);
  for (const l of leftovers(dir, basename(out), [".kubeseed-old-", ".kubeseed-new-", ".tar.gz.kubeseed-tmp-", ".zip.kubeseed-tmp-"])) {
    const path = join(dir, l.name);
    if (l.kind === ".kubeseed-old-" && !existsSync(out)) {
      renameSync(path, out);
      notes.push(messages.io.staleRestored(show(out), show(path), l.pid));
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    notes.push(messages.io.staleRemoved(show(path), l.pid));
  }
  for (const l of leftovers(out, OUTPUT_MARKER, [".kubeseed-tmp-"])) {
    rmSync(join(out, l.name), { force: true });
    notes.push(messages.io.staleRemoved(show(join(out, l.name)), l.pid));
  }
  return notes;
}

/** Cleans the temporary files of dead runs beside the secrets file. */
export function cleanStaleSecrets(file: string, show: (p: string) => string): string[] {
  return leftovers(dirname(file), basename(file), [".tmp-"]).map((l) => {
    rmSync(join(dirname(file), l.name), { force: true });
    return messages.io.staleRemoved(show(join(dirname(file), l.name)), l.pid);
  });
}
