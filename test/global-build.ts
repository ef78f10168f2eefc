/**
 * vitest globalSetup: the CLI tests run the real bin (bin/gen.mjs → dist/), so dist/ must be the build of
 * the current sources. Builds it (`tsc -p tsconfig.build.json`, as `npm run build`) when any source or
 * build setting is newer than dist/cli/main.js, once before the suite.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "..");

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export default function setup(): void {
  const built = join(REPO, "dist/cli/main.js");
  const inputs = Math.max(newest(join(REPO, "generator")), newest(join(REPO, "tsconfig.json")), newest(join(REPO, "tsconfig.build.json")));
  if (existsSync(built) && statSync(built).mtimeMs >= inputs) return;
  execFileSync(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", join(REPO, "tsconfig.build.json")], { cwd: REPO, stdio: "inherit" });
}
