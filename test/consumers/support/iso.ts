/**
 * Reading ISO images with the real tools: isoinfo's directory listings (primary, Joliet, Rock Ridge
 * namespaces) and xorriso's find and extraction. Guarantees: every call is time-bounded (proc.run)
 * and fails the test with the tool's own output when the tool fails.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./proc.js";

export interface ListedFile {
  /** permission column as isoinfo prints it, e.g. -rw------- (Rock Ridge) or ---------- */
  mode: string;
  size: number;
  name: string;
}

function ok(cmd: string, args: string[]): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.out}`);
  return r.stdout;
}

/** The files of the root directory (not . and ..) as `isoinfo [-J|-R] -l` lists them */
export function isoinfoListing(iso: string, namespace: "primary" | "joliet" | "rock-ridge"): ListedFile[] {
  const flag = { primary: [], joliet: ["-J"], "rock-ridge": ["-R"] }[namespace];
  return ok("isoinfo", [...flag, "-l", "-i", iso])
    .split("\n")
    .map((line) => /^(\S{10})\s+\d+\s+\d+\s+\d+\s+(\d+)\s+.*\]\s+(.+?)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[3] !== "." && m[3] !== "..")
    .map((m) => ({ mode: m[1], size: Number(m[2]), name: m[3] }));
}

export function isoinfoSummary(iso: string): string {
  return ok("isoinfo", ["-d", "-i", iso]);
}

/** Paths xorriso finds in the image (Rock Ridge names), e.g. ['/meta-data', …] */
export function xorrisoFind(iso: string): string[] {
  return [...ok("xorriso", ["-indev", iso, "-find", "/", "-type", "f"]).matchAll(/^'(.+)'$/gm)].map((m) => m[1]);
}

/** Extracts the whole image with xorriso (osirrox) into a new directory and returns it */
export function xorrisoExtract(iso: string, prefix = "ks-iso-"): string {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), "root");
  ok("xorriso", ["-osirrox", "on", "-indev", iso, "-extract", "/", dir]);
  return dir;
}
