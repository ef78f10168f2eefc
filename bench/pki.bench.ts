/**
 * `npm run bench`: wall time and peak memory of a full generation (first run: every key and
 * certificate new; re-run: everything reused from the secrets) for 3 control planes + 10, 100 and
 * 1,000 workers with pre-issued kubelet certificates, ECDSA P-256 and RSA-2048. Prints a table.
 * Targets (foundation issue): ECDSA P-256 with 1,000 workers under 10 s on 2 cores; `gen --help` under 1 s.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const caseScript = fileURLToPath(new URL("./case.ts", import.meta.url));
const algs = (process.env.BENCH_ALGS ?? "ecdsa-p256,rsa-2048").split(",");
const sizes = (process.env.BENCH_WORKERS ?? "10,100,1000").split(",").map(Number);

const bin = fileURLToPath(new URL("../bin/gen.mjs", import.meta.url));
const helpRuns = [0, 1, 2].map(() => {
  const t = performance.now();
  execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
  return performance.now() - t;
});
console.log(`gen --help: ${(Math.min(...helpRuns) / 1000).toFixed(2)} s (best of 3; target < 1 s)\n`);

console.log("algorithm   workers  certs   files  first run   re-run   peak RSS");
for (const alg of algs) {
  for (const workers of sizes) {
    const out = execFileSync(process.execPath, ["--import", "tsx", caseScript, alg, String(workers)], { encoding: "utf8" });
    const r = JSON.parse(out.trim().split("\n").pop()!);
    console.log(
      `${alg.padEnd(11)} ${String(workers).padStart(7)} ${String(r.certs).padStart(6)} ${String(r.files).padStart(7)} ` +
        `${(r.ms / 1000).toFixed(2).padStart(8)} s ${(r.rerunMs / 1000).toFixed(2).padStart(6)} s ${String(r.peakRssMB).padStart(6)} MB`,
    );
  }
}
