/**
 * One generated cluster per consumer test file: a 3-control-plane + 2-worker topology with one RBAC
 * user, run through the real pipeline (generateCluster → writeBundle) into a fresh temp directory.
 * Guarantees: certificates are issued at the real current time (the consumers check validity against
 * the system clock); `dispose` removes the whole temp directory. It does not start any process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCluster, type Generated } from "../../../generator/bundle/generate.js";
import { fixedClock, systemRandom } from "../../../generator/core/clock.js";
import { writeBundle } from "../../../generator/io/write-dir.js";
import { defaultKeyFactory } from "../../../generator/pki/keys.js";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { topology } from "../../helpers/profiles.js";

export type PkiOptions = NonNullable<ProfileInput["spec"]["pki"]>;

export const CONTROL_PLANES = ["cp-1", "cp-2", "cp-3"] as const;
export const WORKERS = ["worker-1", "worker-2"] as const;
/** node addresses as topology() assigns them */
export const ADDRESS: Record<string, string> = { "cp-1": "192.168.1.11", "cp-2": "192.168.1.12", "cp-3": "192.168.1.13", "worker-1": "192.168.1.101", "worker-2": "192.168.1.102" };
export const ENDPOINT_DNS = "api.test.internal";
export const VIP = "192.168.1.5";

export interface WrittenCluster {
  g: Generated;
  /** scratch directory of the test file (holds out/ and anything the test creates) */
  root: string;
  /** the written bundle */
  out: string;
  /** path of /etc/kubernetes/REL in NODE's tree: etc("cp-1", "pki/ca.crt") */
  etc(node: string, rel: string): string;
  /** path of an operator file: op("pki/ca.crt"), op("kubeconfigs/users/dev.conf") */
  op(rel: string): string;
  dispose(): void;
}

export async function writeCluster(pki: PkiOptions, prefix: string): Promise<WrittenCluster> {
  const profile = topology(CONTROL_PLANES.length, WORKERS.length, { users: [{ name: "dev", groups: ["developers"] }], pki });
  const g = await generateCluster(profile, undefined, { clock: fixedClock(new Date().toISOString()), random: systemRandom, keys: defaultKeyFactory });
  const root = mkdtempSync(join(tmpdir(), prefix));
  const out = join(root, "out");
  await writeBundle(g.bundle, out, { force: false });
  return {
    g,
    root,
    out,
    etc: (node, rel) => join(out, "nodes", node, "files/etc/kubernetes", rel),
    op: (rel) => join(out, rel),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
