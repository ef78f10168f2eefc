#!/usr/bin/env node
// kubeseed CLI shim: runs the compiled CLI in dist/ (tsc output: `npm run build`, which `npm ci` and
// `npm pack` run through the prepare script); all logic lives in generator/cli. In a git checkout it
// also says when dist/ is older than the sources, instead of silently running old code.
import { existsSync, readdirSync, statSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
const sources = new URL("../generator/", import.meta.url);

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = new URL(e.name + (e.isDirectory() ? "/" : ""), dir);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(main)) {
  process.stderr.write("kubeseed is not built: run `npm run build` (npm ci does it through the prepare script)\n");
  process.exit(2);
}
if (existsSync(sources) && newestSource(sources) > statSync(main).mtimeMs) {
  process.stderr.write("warning: dist/ is older than generator/: run `npm run build` to run the current sources\n");
}
const { run } = await import(main.href);
await run(process.argv.slice(2));
