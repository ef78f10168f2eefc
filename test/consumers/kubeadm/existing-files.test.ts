/**
 * kubeadm meets the pre-made PKI and kubeconfigs on disk and keeps them: each control plane's
 * generated /etc/kubernetes (a copy of the node tree's etc/kubernetes with its modes, exactly what
 * its first boot lays down) is bind-mounted on /etc/kubernetes in a private mount namespace (see
 * support/node-ns.ts), and the real kubeadm runs the phases that would otherwise create the files:
 * - the init node: `kubeadm init phase certs all` and `init phase kubeconfig all` with its own config;
 * - a joining control plane: `kubeadm join phase control-plane-prepare certs|kubeconfig` fetch the
 *   ClusterConfiguration from the cluster first (token discovery against a running API server; that
 *   real run is in control-plane.test.ts for v1.34.10). Here, offline and for both versions, the node
 *   is checked with the configuration kubeadm join assembles for it (cmd/kubeadm/app/util/config
 *   joinconfiguration.go: the cluster's ClusterConfiguration + an InitConfiguration holding the
 *   JoinConfiguration's nodeRegistration and controlPlane.localAPIEndpoint), written outside
 *   /etc/kubernetes: `init phase certs all` and `init phase kubeconfig admin|controller-manager|
 *   scheduler` (the kubeconfigs a joining control plane writes; its kubelet.conf comes from TLS
 *   bootstrap and super-admin.conf exists only on the init node).
 * Versions: the prod profile (its control planes' certificates pre-issued) with kubeadm v1.34.10, an HA topology at v1.30.14 (v1beta3) with kubeadm
 * v1.30.14. Every certificate and kubeconfig must be reported as used ("Using existing …"), no file's
 * bytes or mode may change, and no file may appear: kubeadm is expected to add nothing in these phases.
 * Separately, kubeadm must not warn that a kubeconfig points at an unexpected API server URL.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { exampleProfile, preIssued } from "../../helpers/generate.js";
import { topology } from "../../helpers/profiles.js";
import { Daemons, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_130, KUBE_134 } from "./support/bins.js";
import { NodeNamespace } from "./support/node-ns.js";
import { CERTS_USED, kubeconfigUsed, said, unexpectedServerWarnings } from "./support/said.js";
import { fingerprint, joinAsInitConfig, KUBEADM_CONFIG, stageEtcKubernetes, type NodeFiles, type NodeKind, type Output, writeOutput } from "./support/output.js";

type Version = typeof KUBE_134 | typeof KUBE_130;

const PROFILES: Record<Version, () => ProfileInput> = {
  // prod lets kubeadm issue its control planes' certificates (on-node.test.ts); here kubeseed issues them
  [KUBE_134]: () => preIssued(exampleProfile("prod")),
  [KUBE_130]: () => topology(3, 1, {}, KUBE_130),
};

/** the kubeconfigs kubeadm writes (and so checks) on each kind of control plane, in its order */
const KUBECONFIGS: Record<Exclude<NodeKind, "worker-join" | "etcd-member">, string[]> = {
  init: ["admin", "super-admin", "kubelet", "controller-manager", "scheduler"],
  "control-plane-join": ["admin", "controller-manager", "scheduler"],
};

interface Staged {
  node: NodeFiles;
  etc: string;
  before: Record<string, string>;
  ns: NodeNamespace;
  /** the --config path kubeadm is given */
  config: string;
  certs?: Ran;
  kubeconfigs: Ran[];
}

describeWithKubeBins("kubeadm keeps the generated PKI and kubeconfigs", { [KUBE_134]: [KUBE_134, "kubeadm"], [KUBE_130]: [KUBE_130, "kubeadm"] }, (bins) => {
  const daemons = new Daemons();
  const outputs: Output[] = [];
  const staged = new Map<string, Staged>();
  const key = (v: Version, kind: NodeKind) => `${v} ${kind}`;

  beforeAll(async () => {
    for (const version of [KUBE_134, KUBE_130] as const) {
      const o = await writeOutput(PROFILES[version](), "ks-kubeadm-existing-");
      outputs.push(o);
      const init = o.node("init");
      for (const node of [init, o.node("control-plane-join")]) {
        const scratch = o.scratch(node.name);
        const etc = stageEtcKubernetes(node, join(scratch, "etc-kubernetes"));
        let config = KUBEADM_CONFIG;
        if (node.kind !== "init") {
          config = join(scratch, "join-as-init.yaml");
          writeFileSync(config, joinAsInitConfig(init, node));
        }
        const s: Staged = { node, etc, before: fingerprint(etc), config, ns: await NodeNamespace.create(daemons, { name: `${version}-${node.name}`, scratch, etcKubernetes: etc }), kubeconfigs: [] };
        const kubeadm = (...args: string[]) => s.ns.run(bins[version], [...args, "--config", config], { timeoutMs: 30_000 });
        s.certs = kubeadm("init", "phase", "certs", "all");
        s.kubeconfigs = node.kind === "init" ? [kubeadm("init", "phase", "kubeconfig", "all")] : KUBECONFIGS["control-plane-join"].map((k) => kubeadm("init", "phase", "kubeconfig", k));
        staged.set(key(version, node.kind), s);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await daemons.stopAll();
    for (const o of outputs) o.dispose();
  });

  const ROWS = ([KUBE_134, KUBE_130] as const).flatMap((v) => (["init", "control-plane-join"] as const).map((k) => [v, k] as const));

  it.each(ROWS)("%s %s: the certs phase uses every existing certificate and key", (version, kind) => {
    const s = staged.get(key(version, kind))!;
    expect(s.certs!.status, s.certs!.out).toBe(0);
    expect(said(s.certs!, "[certs]"), s.certs!.out).toEqual(CERTS_USED);
  });

  it.each(ROWS)("%s %s: the kubeconfig phase uses every existing kubeconfig", (version, kind) => {
    const s = staged.get(key(version, kind))!;
    for (const r of s.kubeconfigs) expect(r.status, r.out).toBe(0);
    const lines = s.kubeconfigs.flatMap((r) => said(r, "[kubeconfig]"));
    expect(lines, s.kubeconfigs.map((r) => r.out).join("\n")).toEqual(KUBECONFIGS[kind].map(kubeconfigUsed));
  });

  it.each(ROWS)("%s %s: no file changed and none appeared", (version, kind) => {
    const s = staged.get(key(version, kind))!;
    expect(fingerprint(s.etc)).toEqual(s.before);
  });

  it.each(ROWS)("%s %s: no kubeconfig points at an API server URL kubeadm does not expect", (version, kind) => {
    const s = staged.get(key(version, kind))!;
    expect(unexpectedServerWarnings(s.kubeconfigs)).toEqual([]);
  });
});
