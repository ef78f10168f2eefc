/**
 * STYLE rule 2: only generator/io and generator/cli touch the file system, child processes,
 * the environment or the process exit. Everything else must stay pure.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../generator/", import.meta.url));
const EDGES = ["io", "cli"];

const FORBIDDEN: [what: string, pattern: RegExp][] = [
  ["imports fs", /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:)?fs(?:\/promises)?["']/],
  ["imports child_process", /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:)?child_process["']/],
  ["reads process.env", /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*["']env["']\s*\]/],
  ["calls process.exit", /\bprocess\s*\.\s*exit\b/],
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every violation as `file: what`, for files outside the edge folders. */
export function violations(files: readonly { path: string; text: string }[]): string[] {
  return files
    .filter((f) => !EDGES.includes(f.path.split("/")[0]))
    .flatMap((f) => FORBIDDEN.filter(([, re]) => re.test(f.text)).map(([what]) => `${f.path}: ${what}`));
}

describe("architecture", () => {
  it("no file outside generator/io and generator/cli does I/O, reads the environment or exits", () => {
    const files = tsFiles(ROOT).map((p) => ({ path: relative(ROOT, p).split("\\").join("/"), text: readFileSync(p, "utf8") }));
    expect(files.length).toBeGreaterThan(10);
    expect(violations(files)).toEqual([]);
  });

  it("the check catches each forbidden use, and allows it at the edges", () => {
    const bad = [
      'import { readFileSync } from "node:fs";',
      "import * as fs from 'fs/promises';",
      'const cp = await import("node:child_process");',
      "const home = process.env.HOME;",
      "process.exit(1);",
    ];
    expect(violations(bad.map((text, i) => ({ path: `render/f${i}.ts`, text })))).toHaveLength(bad.length);
    expect(violations(bad.map((text, i) => ({ path: `io/f${i}.ts`, text })))).toEqual([]);
    expect(violations([{ path: "model/x.ts", text: 'import { join } from "node:path"; // fs-free' }])).toEqual([]);
  });

  it("exit statuses come from the one table (cli/exit-codes.ts): no command returns or sets a number itself", () => {
    const literal = /\breturn\s+\d+\s*;|\bexitCode\s*=\s*\d+/;
    const cli = tsFiles(join(ROOT, "cli")).filter((p) => !p.endsWith("exit-codes.ts"));
    expect(cli.length).toBeGreaterThan(5);
    expect(cli.filter((p) => literal.test(readFileSync(p, "utf8"))).map((p) => relative(ROOT, p))).toEqual([]);
    expect(literal.test("    return 0;")).toBe(true);
  });
});
