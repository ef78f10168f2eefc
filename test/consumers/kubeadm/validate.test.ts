/**
 * The real `kubeadm config validate` on every kubeadm config the generator renders (the file at
 * /etc/kubernetes/kubeadm/config.yaml in each node's tree: InitConfiguration + ClusterConfiguration +
 * KubeletConfiguration + KubeProxyConfiguration on the first control plane, a JoinConfiguration with
 * controlPlane on the others, a token JoinConfiguration on workers; and every control plane's
 * renew.yaml, the InitConfiguration + ClusterConfiguration of `kubeadm certs renew`), each with the
 * kubeadm of its API:
 * - the prod example profile (v1.34.10, kubeadm.k8s.io/v1beta4) with kubeadm v1.34.10;
 * - the dev example profile's topology (one control plane, one worker, no endpoint) at v1.34.10: dev
 *   pins v1.31.14, which kubeadm 1.34 refuses by its version-skew rule ("this version of kubeadm only
 *   supports deploying clusters with the control plane version >= 1.33.0"), and kubeadm 1.31 cannot
 *   be built here (the module proxy does not serve k8s.io/kube-proxy v0.31.14, which it imports);
 * - an HA topology (3 control planes behind an endpoint + 1 worker) at v1.30.14, the last
 *   kubeadm.k8s.io/v1beta3 release line, with kubeadm v1.30.14;
 * - the external-ca, external-etcd (etcd members' configs too) and ingress (untainted control planes,
 *   audit flags and volumes through prod) example profiles with kubeadm v1.34.10.
 * `config validate` decodes strictly (an unknown or misspelt field fails), defaults and validates
 * every document; the control case shows a misspelt field is refused. kubeadm must say "ok" and
 * print nothing else (no deprecation or other warning).
 */
import { writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { exampleProfile } from "../../helpers/generate.js";
import { topology } from "../../helpers/profiles.js";
import { run } from "../support/proc.js";
import { describeWithKubeBins, KUBE_130, KUBE_134 } from "./support/bins.js";
import { writeOutput, type NodeKind, type Output } from "./support/output.js";

type CaseName = "prod" | "dev@v1.34.10" | "ha@v1.30.14" | "external-ca" | "external-etcd" | "ingress";

function devAt134(): ProfileInput {
  const p = exampleProfile("dev");
  p.spec.kubernetes = { ...p.spec.kubernetes, version: KUBE_134 };
  return p;
}

const CASES: Record<CaseName, { profile: () => ProfileInput; kubeadm: "k134" | "k130"; api: string }> = {
  prod: { profile: () => exampleProfile("prod"), kubeadm: "k134", api: "kubeadm.k8s.io/v1beta4" },
  "dev@v1.34.10": { profile: devAt134, kubeadm: "k134", api: "kubeadm.k8s.io/v1beta4" },
  "ha@v1.30.14": { profile: () => topology(3, 1, {}, KUBE_130), kubeadm: "k130", api: "kubeadm.k8s.io/v1beta3" },
  "external-ca": { profile: () => exampleProfile("external-ca"), kubeadm: "k134", api: "kubeadm.k8s.io/v1beta4" },
  "external-etcd": { profile: () => exampleProfile("external-etcd"), kubeadm: "k134", api: "kubeadm.k8s.io/v1beta4" },
  ingress: { profile: () => exampleProfile("ingress"), kubeadm: "k134", api: "kubeadm.k8s.io/v1beta4" },
};

/** [case, node, the kind of config the node must get] from the profiles' node lists */
const ROWS: [CaseName, string, NodeKind][] = [];
for (const name of Object.keys(CASES) as CaseName[]) {
  let firstCp = true;
  for (const n of CASES[name].profile().spec.nodes) {
    const kind: NodeKind = n.role === "etcd" ? "etcd-member" : n.role === "worker" ? "worker-join" : firstCp ? "init" : "control-plane-join";
    if (n.role === "control-plane") firstCp = false;
    ROWS.push([name, n.name, kind]);
  }
}

describeWithKubeBins("kubeadm config validate", { k134: [KUBE_134, "kubeadm"], k130: [KUBE_130, "kubeadm"] }, (bins) => {
  const outputs = {} as Record<CaseName, Output>;

  beforeAll(async () => {
    for (const name of Object.keys(CASES) as CaseName[]) outputs[name] = await writeOutput(CASES[name].profile(), "ks-kubeadm-validate-");
  });

  afterAll(() => {
    for (const o of Object.values(outputs)) o.dispose();
  });

  const validate = (kubeadm: string, config: string) => run(kubeadm, ["config", "validate", "--config", config], { timeoutMs: 30_000 });

  it.each(ROWS)("%s: %s's config (%s) is accepted", (name, node, kind) => {
    const c = CASES[name];
    const files = outputs[name].nodes.find((n) => n.name === node);
    expect(files, `${node} has a kubeadm config`).toBeDefined();
    expect(files!.kind).toBe(kind);
    for (const d of files!.docs.filter((x) => /Configuration$/.test(x.kind) && String(x.apiVersion).startsWith("kubeadm.k8s.io/"))) expect(d.apiVersion, d.kind).toBe(c.api);
    const r = validate(bins[c.kubeadm], files!.config);
    expect(r.status, r.out).toBe(0);
    expect(r.stdout.trim()).toBe("ok");
    expect(r.stderr.trim(), "kubeadm printed warnings").toBe("");
  });

  // control planes renew their own certificates, but not in external-CA mode (no CA key on a node); etcd members and workers never
  const renews = ([name, , kind]: [CaseName, string, NodeKind]) => (kind === "init" || kind === "control-plane-join") && CASES[name].profile().spec.pki?.externalCA !== true;

  it.each(ROWS.filter((row) => !renews(row)))("%s: %s (%s) has no renew.yaml", (name, node) => {
    const files = outputs[name].nodes.find((n) => n.name === node)!;
    expect(existsSync(join(files.root, "etc/kubernetes/kubeadm/renew.yaml"))).toBe(false);
  });

  it.each(ROWS.filter(renews))("%s: %s's renew.yaml (kubeadm certs renew) is accepted", (name, node) => {
    const c = CASES[name];
    const files = outputs[name].nodes.find((n) => n.name === node)!;
    const r = validate(bins[c.kubeadm], join(files.root, "etc/kubernetes/kubeadm/renew.yaml"));
    expect(r.status, r.out).toBe(0);
    expect(r.stdout.trim()).toBe("ok");
    expect(r.stderr.trim(), "kubeadm printed warnings").toBe("");
  });

  it.each(["prod", "ha@v1.30.14"] as const)("control, %s: the same init config with a misspelt field is refused", (name) => {
    const init = outputs[name].node("init");
    const bad = join(outputs[name].scratch("bad"), "config.yaml");
    const text = run("sed", ["s/^controlPlaneEndpoint:/controlPlaneEndpont:/", init.config]).stdout;
    expect(text).toMatch(/^controlPlaneEndpont:/m);
    writeFileSync(bad, text);
    const r = validate(bins[CASES[name].kubeadm], bad);
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toMatch(/strict decoding error: unknown field "controlPlaneEndpont"/);
  });
});
