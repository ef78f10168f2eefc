/**
 * kubeseed as a real npm package: `npm pack` (which builds dist/ through the prepare script) gives a
 * tarball of only what runs — bin/, dist/ (JavaScript, declarations, source maps), the example profiles
 * and the profile schema — and `npm install ./kubeseed-*.tgz` into an empty directory (runtime
 * dependencies from the npm registry, no tsx, no TypeScript) gives a working `npx gen` and a typed
 * programmatic API that the real TypeScript compiler accepts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../..");
let tarball = "";
let app = "";

const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, NO_COLOR: "1" } });

beforeAll(() => {
  const packs = mkdtempSync(join(tmpdir(), "ks-pack-"));
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", packs], { cwd: REPO, encoding: "utf8", timeout: 300_000 });
  tarball = join(packs, out.trim().split("\n").pop()!);
  app = mkdtempSync(join(tmpdir(), "ks-app-"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  const r = run("npm", ["install", "--no-audit", "--no-fund", tarball], app);
  if (r.status !== 0) throw new Error(`npm install of the tarball failed: ${r.stderr}`);
}, 600_000);

describe("the npm package", () => {
  it("holds only what runs: bin, the compiled dist with declarations and source maps, the example profiles and the schema", () => {
    const entries = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((e) => e.replace(/^package\//, ""));
    const top = [...new Set(entries.map((e) => e.split("/")[0]))].sort();
    expect(top).toEqual(["README.md", "bin", "dist", "package.json", "profiles", "schemas"]);
    expect(entries).toContain("dist/index.js");
    expect(entries).toContain("dist/index.d.ts");
    expect(entries).toContain("dist/cli/main.js.map");
    expect(entries.filter((e) => e.endsWith(".ts") && !e.endsWith(".d.ts"))).toEqual([]);
    expect(entries.filter((e) => /test/.test(e))).toEqual([]);
  });

  it("installs without tsx or TypeScript and `npx gen --help` prints the usage", () => {
    expect(existsSync(join(app, "node_modules/tsx"))).toBe(false);
    expect(existsSync(join(app, "node_modules/typescript"))).toBe(false);
    const r = run("npx", ["--no-install", "gen", "--help"], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kubeseed — offline generator/);
    expect(r.stderr).toBe("");
  });

  it("`npx gen --profile` generates from an example profile the package ships", () => {
    const r = run("npx", ["--no-install", "gen", "--profile", "node_modules/kubeseed/profiles/dev.yaml"], app);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(app, "output/dev/REPORT.md"), "utf8")).toMatch(/^# Cluster dev/);
    expect(readdirSync(join(app, "output/dev/nodes")).length).toBe(2);
    expect(existsSync(join(app, "secrets/dev.yaml"))).toBe(true);
  });

  it("offers a typed API: the real tsc accepts a program that uses it, and it runs (validate, generate in memory, write)", () => {
    writeFileSync(
      join(app, "use.ts"),
      `import { readFileSync } from "node:fs";
import { validateProfile, generateCluster, planCluster, buildModel, writeBundle, systemClock, systemRandom, defaultKeyFactory, renderDiagnostic, type Generated } from "kubeseed";
const text = readFileSync("node_modules/kubeseed/profiles/dev.yaml", "utf8");
const { profile, diagnostics } = validateProfile(text, "dev.yaml");
if (!profile) throw new Error(diagnostics.map(renderDiagnostic).join("\\n"));
const plan = planCluster(buildModel(profile));
const g: Generated = await generateCluster(profile, undefined, { clock: systemClock, random: systemRandom, keys: defaultKeyFactory });
await writeBundle(g.bundle, "api-out", { force: false });
console.log(plan.nodes.length, g.sizes.length, validateProfile("apiVersion: nope\\n").diagnostics.length > 0);
`,
    );
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, typeRoots: [join(REPO, "node_modules/@types")], types: ["node"] }, files: ["use.ts"] }));
    const tsc = run(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], app);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    writeFileSync(join(app, "bad.ts"), `import { planCluster } from "kubeseed";\nplanCluster("not a model");\n`);
    const badRun = run(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "--noEmit", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--strict", "--skipLibCheck", "bad.ts"], app);
    // the check can fail: a wrong argument is a type error through the package's declarations
    expect(badRun.status).not.toBe(0);
    expect(badRun.stdout).toMatch(/bad\.ts\(2,13\): error TS2345/);
    // run it: Node 22.6+ strips the types itself; on Node 20, compile with the same tsc first
    const js = run(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2022", "--skipLibCheck", "--typeRoots", join(REPO, "node_modules/@types"), "--types", "node", "--outDir", "js", "use.ts"], app);
    expect(js.status, js.stdout).toBe(0);
    writeFileSync(join(app, "js/package.json"), JSON.stringify({ type: "module" }));
    const r = run(process.execPath, ["js/use.js"], app);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("2 2 true");
    expect(existsSync(join(app, "api-out/REPORT.md"))).toBe(true);
  });
});
