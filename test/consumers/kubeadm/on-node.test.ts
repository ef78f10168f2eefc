/**
 * pki.controlPlaneCertificates: on-node — a control plane gets the CAs, the sa pair and the encryption
 * config, and the real kubeadm issues its own certificates and kubeconfigs from them. The prod profile
 * (which sets on-node) is generated, each control plane's /etc/kubernetes staged as its first boot lays
 * it down (see existing-files.test.ts for the staging and the configuration a joining control plane is
 * checked with), and `kubeadm init phase certs all` and `init phase kubeconfig` run on it. Then every
 * certificate kubeadm issued must say what kubeseed's pre-issued one says for the same node — subject,
 * issuer, SANs, extended key usages, key algorithm (the same cluster generated with pre-issued
 * control-plane certificates from the same secrets) — and every kubeconfig kubeadm wrote the same server
 * and user as kubeseed's; no file kubeseed shipped may change.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ExtendedKeyUsageExtension, SubjectAlternativeNameExtension, X509Certificate } from "../../helpers/x509.js";
import { parse } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleProfile, preIssued } from "../../helpers/generate.js";
import { Daemons, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";
import { NodeNamespace } from "./support/node-ns.js";
import { fingerprint, joinAsInitConfig, KUBEADM_CONFIG, stageEtcKubernetes, type NodeKind, type Output, writeOutput } from "./support/output.js";

type CpKind = Extract<NodeKind, "init" | "control-plane-join">;
const KINDS: CpKind[] = ["init", "control-plane-join"];
const LEAVES = ["apiserver", "apiserver-kubelet-client", "front-proxy-client", "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client"];
const KUBECONFIGS: Record<CpKind, string[]> = {
  init: ["admin", "super-admin", "kubelet", "controller-manager", "scheduler"],
  "control-plane-join": ["admin", "controller-manager", "scheduler"],
};

/** What a certificate says, as kubeadm and kube-apiserver read it (not its key or serial). */
function facts(pem: string) {
  const c = new X509Certificate(pem);
  const san = c.getExtension(SubjectAlternativeNameExtension);
  const eku = c.getExtension(ExtendedKeyUsageExtension);
  return {
    subject: c.subject,
    issuer: c.issuer,
    sans: (san?.names.items ?? []).map((n) => `${n.type}:${n.value}`).sort(),
    extKeyUsages: (eku?.usages ?? []).map(String).sort(),
    key: JSON.stringify(c.publicKey.algorithm),
  };
}

/** A kubeconfig's server and the facts of its client certificate. */
function kubeconfigFacts(text: string) {
  const k = parse(text) as { clusters: { cluster: { server: string } }[]; users: { user: { "client-certificate-data": string } }[] };
  return { server: k.clusters[0].cluster.server, client: facts(Buffer.from(k.users[0].user["client-certificate-data"], "base64").toString()) };
}

interface Staged {
  etc: string;
  before: Record<string, string>;
  certs: Ran;
  kubeconfigs: Ran[];
}

describeWithKubeBins("kubeadm issues the control planes' own certificates from the shipped CAs (pki.controlPlaneCertificates: on-node)", { [KUBE_134]: [KUBE_134, "kubeadm"] }, (bins) => {
  const daemons = new Daemons();
  let onNode: Output;
  let pre: Output;
  const staged = new Map<CpKind, Staged>();

  beforeAll(async () => {
    const prod = exampleProfile("prod");
    expect(prod.spec.pki?.controlPlaneCertificates).toBe("on-node");
    onNode = await writeOutput(prod, "ks-kubeadm-on-node-");
    pre = await writeOutput(preIssued(prod), "ks-kubeadm-pre-issued-", { prior: onNode.g.issue.secrets });
    const init = onNode.node("init");
    for (const kind of KINDS) {
      const node = onNode.node(kind);
      const scratch = onNode.scratch(node.name);
      const etc = stageEtcKubernetes(node, join(scratch, "etc-kubernetes"));
      let config = KUBEADM_CONFIG;
      if (kind !== "init") {
        config = join(scratch, "join-as-init.yaml");
        writeFileSync(config, joinAsInitConfig(init, node));
      }
      const before = fingerprint(etc);
      const ns = await NodeNamespace.create(daemons, { name: `on-node-${node.name}`, scratch, etcKubernetes: etc });
      const kubeadm = (...args: string[]) => ns.run(bins[KUBE_134], [...args, "--config", config], { timeoutMs: 30_000 });
      const certs = kubeadm("init", "phase", "certs", "all");
      const kubeconfigs = kind === "init" ? [kubeadm("init", "phase", "kubeconfig", "all")] : KUBECONFIGS[kind].map((k) => kubeadm("init", "phase", "kubeconfig", k));
      staged.set(kind, { etc, before, certs, kubeconfigs });
    }
  }, 120_000);

  afterAll(async () => {
    await daemons.stopAll();
    onNode?.dispose();
    pre?.dispose();
  });

  it.each(KINDS)("%s: the output tree holds only the CAs, the sa pair and the encryption config of the control plane", (kind) => {
    expect(Object.keys(staged.get(kind)!.before).filter((f) => f.startsWith("pki/")).sort()).toEqual(
      ["pki/ca.crt", "pki/ca.key", "pki/encryption-config.yaml", "pki/etcd/ca.crt", "pki/etcd/ca.key", "pki/front-proxy-ca.crt", "pki/front-proxy-ca.key", "pki/sa.key", "pki/sa.pub"],
    );
    expect(Object.keys(staged.get(kind)!.before).filter((f) => f.endsWith(".conf"))).toEqual([]);
  });

  it.each(KINDS)("%s: kubeadm issues every certificate saying what kubeseed's pre-issued one says, and changes no shipped file", (kind) => {
    const s = staged.get(kind)!;
    expect(s.certs.status, s.certs.out).toBe(0);
    const name = onNode.node(kind).name;
    for (const leaf of LEAVES) {
      const issued = readFileSync(join(s.etc, "pki", `${leaf}.crt`), "utf8");
      const want = readFileSync(join(pre.out, "nodes", name, "files/etc/kubernetes/pki", `${leaf}.crt`), "utf8");
      expect(facts(issued), `${name} ${leaf}`).toEqual(facts(want));
    }
    const after = fingerprint(s.etc);
    for (const [file, print] of Object.entries(s.before)) expect(after[file], file).toBe(print);
  });

  it.each(KINDS)("%s: kubeadm writes every kubeconfig with kubeseed's server and user", (kind) => {
    const s = staged.get(kind)!;
    for (const r of s.kubeconfigs) expect(r.status, r.out).toBe(0);
    const name = onNode.node(kind).name;
    for (const k of KUBECONFIGS[kind]) {
      const written = kubeconfigFacts(readFileSync(join(s.etc, `${k}.conf`), "utf8"));
      const want = kubeconfigFacts(readFileSync(join(pre.out, "nodes", name, "files/etc/kubernetes", `${k}.conf`), "utf8"));
      expect(written, `${name} ${k}.conf`).toEqual(want);
    }
  });
});
