/**
 * The real kubeadm and kube-apiserver of this suite, built by scripts/kube-bins.sh into the cache
 * test/helpers/kube-bins.ts reads. describeWithKubeBins registers a describe block that gets the
 * binaries' paths, or, when one is missing:
 * - without CI: a skipped block whose title says what is missing and how to build it;
 * - with CI set: one failing test with that message (CI runs scripts/setup-test-env.sh, which builds
 *   them, so a missing binary there is a broken set-up, never a silent skip).
 * Guarantees: never builds anything; the body runs only with every binary present.
 */
import { spawnSync } from "node:child_process";
import { describe, it } from "vitest";
import { kubeBin, kubeBinsCache, type KubeBinary } from "../../../helpers/kube-bins.js";

export const KUBE_134 = "v1.34.10";
export const KUBE_130 = "v1.30.14";

const inCI = () => !!process.env.CI && !["0", "false"].includes(process.env.CI.toLowerCase());

const hasGo = () => spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;

export function describeWithKubeBins<K extends string>(title: string, needs: Record<K, [version: string, binary: KubeBinary]>, body: (bins: Record<K, string>) => void): void {
  const bins = {} as Record<K, string>;
  const missing: string[] = [];
  for (const key of Object.keys(needs) as K[]) {
    const [version, binary] = needs[key];
    const path = kubeBin(version, binary);
    if (path) bins[key] = path;
    else missing.push(`${binary} ${version}`);
  }
  if (missing.length === 0) {
    describe(title, () => body(bins));
    return;
  }
  const how = hasGo() ? "build them with: bash scripts/kube-bins.sh" : "go is not installed; install Go, then run: bash scripts/kube-bins.sh";
  const reason = `${missing.join(", ")} not found in ${kubeBinsCache()} (${how})`;
  if (inCI()) {
    describe(title, () => {
      it("has the real Kubernetes binaries (CI builds them in scripts/setup-test-env.sh)", () => {
        throw new Error(`CI is set but ${reason}`);
      });
    });
    return;
  }
  console.warn(`kubeadm consumer suite skipped: ${reason}`);
  describe.skip(`${title} — SKIPPED: ${reason}`, () => {
    it("needs the real Kubernetes binaries", () => undefined);
  });
}
