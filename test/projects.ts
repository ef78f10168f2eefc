/**
 * The suite's three vitest projects (vitest.config.ts), decided from the test files themselves:
 * - `unit`: tests that run no program (no child process, no container), in-process only: `npm test`;
 * - `consumers`: every other test outside test/e2e — the real programs (cloud-init, kubeadm, etcd,
 *   openssl, bash, the built CLI as a process, …) reading what gen writes;
 * - `e2e`: test/e2e, whole rehearsal clusters, one at a time.
 * A test file runs programs when it, or a test module it imports (relative imports, followed
 * transitively), imports node:child_process or testcontainers. Deciding it from the imports keeps the
 * split true without a list to maintain: a unit test that starts spawning moves to `consumers` by itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "..");
const TEST = join(REPO, "test");
const SPAWNS = /(?:from\s*|import\s*\(\s*)["'](?:node:)?child_process["']|["']testcontainers["']/;
const RELATIVE_IMPORT = /(?:from\s*|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".test.ts") ? [join(dir, e.name)] : [],
  );
}

/** Whether `file` (an absolute .ts path) or a test-side module it imports runs programs. */
function runsPrograms(file: string, seen: Set<string>): boolean {
  if (seen.has(file) || !file.startsWith(TEST)) return false;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return false;
  }
  if (SPAWNS.test(text)) return true;
  for (const m of text.matchAll(RELATIVE_IMPORT)) {
    if (runsPrograms(resolve(dirname(file), m[1].replace(/\.js$/, ".ts")), seen)) return true;
  }
  return false;
}

/** Test files (repository-relative) outside test/e2e that run programs: the `consumers` project. */
export function programTests(): string[] {
  return testFiles(TEST)
    .filter((f) => !f.startsWith(join(TEST, "e2e")) && runsPrograms(f, new Set()))
    .map((f) => relative(REPO, f))
    .sort();
}
