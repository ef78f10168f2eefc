/**
 * The options of the source documents (issue "what the seeds ask for"), judged on a running rehearsal
 * cluster, each registered only when the profile turns it on:
 * - seed 000's firewall: the nftables table is loaded on every node (and the cluster works with it: the
 *   basic checks run on the same cluster);
 * - seed 001's audit log: the control planes' kube-apiserver writes events, never a Secret's data;
 * - the metadata block: a pod cannot reach 169.254.169.254 while its node can, and still reaches
 *   elsewhere (a stand-in metadata service on this machine's side of the nodes' uplink);
 * - external-CA mode (seed 003): no node holds any CA key, no CSR waits for a signer;
 * - an untainted control plane (seed 001): a pod without tolerations runs on it;
 * - external etcd (seed 003): the members run etcd under their standalone kubelet, form one cluster,
 *   and hold the cluster's data; the control planes run no etcd of their own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { parse } from "yaml";
import { AUDIT_LOG } from "../../generator/render/kubeadm/audit.js";
import { loadModel } from "../../scripts/rehearsal/plan.js";
import { REPO_ROOT } from "../helpers/generate.js";
import { kubectl, kubectlOk, onNode, run, eventually, type Cluster } from "./support.js";
import { inPod, NAMESPACE } from "./workload.js";

const METADATA = "169.254.169.254";

/** Registers the checks of the options `profile` turns on (its model decides, before the cluster is up). */
export function seedChecks(profile: string, get: () => Cluster, booted: () => string[]): void {
  const known = loadModel(profile, REPO_ROOT);
  const kubeNodes = () => booted().filter((n) => get().plan.nodes.find((x) => x.name === n)!.role !== "etcd");
  const controlPlanes = () => get().plan.nodes.filter((n) => n.role === "control-plane" && booted().includes(n.name)).map((n) => n.name);

  it.runIf(known.host.firewall === "nftables")("seed 000's firewall table is loaded on every node it was written for (only on profiles with host.firewall: nftables)", () => {
    const c = get();
    for (const n of booted()) {
      const r = onNode(c, n, "systemctl is-active kubeseed-firewall.service && nft list table inet kubeseed");
      expect(r.status, `${n}: ${r.out}`).toBe(0);
      expect(r.out, n).toMatch(/chain input \{[\s\S]*policy drop/);
    }
  });

  it.runIf(!!known.audit)("seed 001's audit log: every control plane's kube-apiserver logs requests, never a Secret's data (only on profiles with audit)", async () => {
    const c = get();
    const marker = `kubeseed-audit-marker-${Date.now()}`;
    kubectlOk(c, ["-n", "default", "create", "secret", "generic", "audited", `--from-literal=value=${marker}`]);
    kubectlOk(c, ["-n", "default", "get", "secret", "audited"]);
    const log = AUDIT_LOG;
    const seen = await eventually("the create of Secret audited in an audit log", 120_000, () => {
      const logs = controlPlanes().map((n) => onNode(c, n, `cat ${log} 2>/dev/null`).out);
      return logs.some((l) => /"verb":"create".*"resource":"secrets".*"name":"audited"/.test(l)) ? logs : undefined;
    });
    for (const text of seen) {
      expect(text).not.toContain(marker);
      expect(text).not.toContain(Buffer.from(marker).toString("base64"));
    }
    for (const n of controlPlanes()) expect(onNode(c, n, `test -s ${log} && echo written`).out.trim(), `${n} writes ${log}`).toBe("written");
  });

  let servers: ChildProcess | undefined;
  let added: string | undefined;
  afterAll(() => {
    servers?.kill();
    if (added) run("ip", ["addr", "del", `${METADATA}/32`, "dev", added]);
  });

  /**
   * HTTP servers answering "answer from HOST" on each HOST:PORT, in a process of their own: the checks
   * run kubectl and podman synchronously, which would keep servers in this process from answering.
   */
  function answering(listen: [string, number][]): Promise<ChildProcess> {
    const script = `const http = require("node:http");
let up = 0;
for (const [host, port] of ${JSON.stringify(listen)}) http.createServer((_, res) => res.end("answer from " + host + "\\n")).listen(port, host, () => { if (++up === ${listen.length}) console.log("ready"); });`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    return new Promise((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(child));
      child.on("exit", (code) => reject(new Error(`the stand-in servers exited (${code})`)));
    });
  }

  it.runIf(known.host.blockMetadata)("the metadata block: a pod cannot reach 169.254.169.254 while its node can, and still reaches elsewhere (only on profiles with host.blockMetadata)", async () => {
    const c = get();
    const state = JSON.parse(readFileSync(join(c.workdir, "rehearsal.json"), "utf8")) as { networks: { public?: { bridge: string; hostAddress: string } } };
    const pub = state.networks.public;
    expect(pub, "the nodes have an uplink (public NIC) through this machine").toBeDefined();
    // a cloud's metadata service, stood in for on this machine, where the nodes' default route leads
    expect(run("ip", ["addr", "add", `${METADATA}/32`, "dev", pub!.bridge]).status).toBe(0);
    added = pub!.bridge;
    servers = await answering([
      [METADATA, 80],
      [pub!.hostAddress, 8099],
    ]);
    const worker = kubeNodes().find((n) => c.plan.nodes.find((x) => x.name === n)!.role === "worker")!;
    const fromNode = onNode(c, worker, `curl -s -m 10 http://${METADATA}/`);
    expect(fromNode.out.trim(), "the node reaches the metadata service").toBe(`answer from ${METADATA}`);
    const fromPod = inPod(c, worker, `timeout 10 wget -q -O - http://${METADATA}/`);
    expect(fromPod.status, fromPod.out).not.toBe(0);
    expect(fromPod.out).not.toContain("answer from");
    const elsewhere = inPod(c, worker, `timeout 10 wget -q -O - http://${pub!.hostAddress}:8099/`);
    expect(elsewhere.out.trim(), "the pod still reaches other addresses").toBe(`answer from ${pub!.hostAddress}`);
  });

  it.runIf(known.pki.externalCA)("external-CA mode: no node holds a CA key, and no certificate request waits for a signer (only on profiles with pki.externalCA)", () => {
    const c = get();
    const secrets = parse(readFileSync(join(c.workdir, "secrets.yaml"), "utf8"));
    const caKeys = Object.values(secrets.cas as Record<string, { key?: string }>)
      .map((ca) => ca.key)
      .filter((k): k is string => !!k)
      .map((k) => k.split("\n").find((l) => l && !l.startsWith("-----"))!);
    expect(caKeys.length, "the operator's secrets file keeps the CA keys").toBeGreaterThan(0);
    for (const n of booted()) {
      expect(onNode(c, n, "ls /etc/kubernetes/pki/ca.key /etc/kubernetes/pki/etcd/ca.key /etc/kubernetes/pki/front-proxy-ca.key 2>/dev/null | wc -l").out.trim(), n).toBe("0");
      for (const line of caKeys) {
        const hit = onNode(c, n, `grep -rlF -- '${line}' /etc /var/lib/kubelet /var/lib/cloud /var/lib/kubeseed /root /home 2>/dev/null | head -3`).out.trim();
        expect(hit, `${n} holds a CA key`).toBe("");
      }
    }
    const csrs = kubectlOk(c, ["get", "csr", "-o", 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[*].type}{"\\n"}{end}']).trim();
    expect(csrs.split("\n").filter((l) => l && l.split(" ").length < 2), "pending CSRs").toEqual([]);
  });

  it.runIf(known.nodes.some((n) => n.role === "control-plane" && n.taints?.length === 0))("a control plane without taints takes a pod that tolerates nothing (only on profiles with an untainted control plane)", async () => {
    const c = get();
    const untainted = c.plan.model.nodes.filter((n) => n.role === "control-plane" && n.taints?.length === 0 && booted().includes(n.name));
    for (const n of untainted) {
      expect(kubectlOk(c, ["get", "node", n.name, "-o", "jsonpath={.spec.taints}"]).trim(), n.name).toBe("");
      const image = `${c.plan.model.registry.repository}/e2e/toolbox:1`;
      const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: `plain-${n.name}`, namespace: NAMESPACE }, spec: { nodeSelector: { "kubernetes.io/hostname": n.name }, containers: [{ name: "c", image, command: ["sleep", "3600"] }] } };
      kubectlOk(c, ["apply", "-f", "-"], JSON.stringify(pod));
      const w = kubectl(c, ["-n", NAMESPACE, "wait", "--for=condition=Ready", `pod/plain-${n.name}`, "--timeout=300s"], c.admin, undefined, 330_000);
      expect(w.status, w.out).toBe(0);
    }
  });

  it.runIf(known.etcd.topology === "external")("external etcd: the members run etcd under their own kubelet as one cluster that holds the data; control planes run none (only on profiles with etcd.topology: external)", () => {
    const c = get();
    const members = c.plan.nodes.filter((n) => n.role === "etcd");
    for (const m of members) expect(onNode(c, m.name, "crictl ps --name etcd --state running -q | wc -l").out.trim(), m.name).toBe("1");
    for (const cp of controlPlanes()) expect(onNode(c, cp, "test -e /etc/kubernetes/manifests/etcd.yaml && echo stacked || echo none").out.trim(), cp).toBe("none");
    const init = c.plan.nodes.find((n) => n.init)!;
    const pki = join(c.output, "nodes", init.name, "files/etc/kubernetes/pki");
    const etcdctl = (args: string[]) =>
      run("etcdctl", ["--endpoints", members.map((m) => `https://${m.address}:2379`).join(","), "--cacert", join(pki, "etcd/ca.crt"), "--cert", join(pki, "apiserver-etcd-client.crt"), "--key", join(pki, "apiserver-etcd-client.key"), ...args], 60_000);
    const list = etcdctl(["member", "list"]);
    expect(list.status, list.out).toBe(0);
    for (const m of members) expect(list.out).toContain(`https://${m.address}:2380`);
    const keys = etcdctl(["get", "/registry/namespaces/kube-system", "--keys-only"]);
    expect(keys.out.trim()).toBe("/registry/namespaces/kube-system");
  });
}
