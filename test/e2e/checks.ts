/**
 * What every rehearsal topology must show (the list, items 1–4 and 6), as `it` blocks over a
 * cluster that the calling suite brought up with scripts/cluster-up.sh:
 * 1. nobody touched a node: every node's kubeseed-bootstrap ran kubeadm itself and says state=done;
 * 2. every node Ready, every kube-system and kube-flannel pod running (etcd and apiserver per control
 *    plane, CoreDNS, kube-proxy and flannel on every node);
 * 3. pods on different nodes reach each other over flannel, names resolve through CoreDNS, a ClusterIP
 *    Service answers through kube-proxy, and every image came from registry.local;
 * 4. the RBAC user's kubeconfig has exactly its group's rights; a Secret is stored encrypted in etcd;
 * 6. what the nodes booted from is what gen wrote: the seed's files, cloud-init's copy of the user-data,
 *    and the node files kubeadm reuses (or, with pki.controlPlaneCertificates on-node, kubeconfigs that
 *    kubeadm wrote with client certificates of the output's cluster CA).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { bootstrapStatus, kubeconfigFor, kubectl, kubectlOk, nodePkiFile, nodeReadiness, onNode, registryContainer, run, type Cluster } from "./support.js";
import { deployWeb, inPod, NAMESPACE, podIP, pushToolbox } from "./workload.js";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

export function clusterBasics(get: () => Cluster, booted: () => string[]): void {
  const isEtcd = (name: string) => get().plan.nodes.find((n) => n.name === name)?.role === "etcd";
  const kubeNodes = () => booted().filter((n) => !isEtcd(n));
  it("1. every node bootstrapped itself: kubeadm init on the first control plane, join elsewhere, state=done", () => {
    const c = get();
    for (const n of c.plan.nodes.filter((x) => booted().includes(x.name))) {
      expect(bootstrapStatus(c, n.name), n.name).toMatchObject({ state: "done", step: "complete", node: n.name, role: n.init ? "init" : n.role });
      const journal = onNode(c, n.name, "journalctl -u kubeseed-bootstrap --no-pager -o cat").out;
      const kubeadm = n.role === "etcd" ? "init phase etcd local" : n.init ? "init" : "join";
      expect(journal, n.name).toContain(`[kubeadm] running kubeadm ${kubeadm} --config /etc/kubernetes/kubeadm/config.yaml`);
      expect(journal, n.name).toMatch(/\[complete\] bootstrap complete/);
      expect(onNode(c, n.name, "test -e /var/lib/kubeseed/kubeadm.done && test -e /var/lib/kubeseed/bootstrap.done && echo markers").out.trim(), n.name).toBe("markers");
      expect(onNode(c, n.name, "cloud-init status --long").out, n.name).toMatch(/status: done/);
    }
  });

  it("2. every node is Ready and every system pod runs: etcd and apiserver per control plane, CoreDNS, kube-proxy and flannel everywhere", () => {
    const c = get();
    const ready = nodeReadiness(c);
    for (const n of kubeNodes()) expect(ready.get(n), n).toBe("True");
    for (const n of booted().filter(isEtcd)) expect(ready.has(n), `${n} is an etcd member, no Kubernetes node`).toBe(false);
    const pods = kubectlOk(c, ["get", "pods", "-A", "-o", 'jsonpath={range .items[*]}{.metadata.namespace} {.metadata.name} {.spec.nodeName} {.status.phase}{"\\n"}{end}'])
      .trim()
      .split("\n")
      .map((l) => l.split(" "));
    const running = (ns: string, prefix: string, node?: string) => pods.filter(([n, name, on, phase]) => n === ns && name.startsWith(prefix) && (!node || on === node) && phase === "Running").length;
    for (const cp of c.plan.nodes.filter((n) => n.role === "control-plane" && booted().includes(n.name))) {
      const stacked = c.plan.model.etcd.topology === "stacked";
      for (const component of [...(stacked ? ["etcd"] : []), "kube-apiserver", "kube-controller-manager", "kube-scheduler"]) expect(running("kube-system", `${component}-${cp.name}`, cp.name), `${component} on ${cp.name}`).toBe(1);
    }
    expect(running("kube-system", "coredns-")).toBe(2);
    for (const n of kubeNodes()) {
      expect(running("kube-system", "kube-proxy-", n), `kube-proxy on ${n}`).toBe(1);
      expect(running("kube-flannel", "kube-flannel-ds-", n), `flannel on ${n}`).toBe(1);
    }
    expect(pods.filter(([ns, , , phase]) => ["kube-system", "kube-flannel"].includes(ns) && phase !== "Running")).toEqual([]);
  });

  it("3. pods on every node reach each other over flannel, CoreDNS resolves, a ClusterIP Service answers, images only from registry.local", () => {
    const c = get();
    const nodes = kubeNodes();
    const image = pushToolbox(c);
    deployWeb(c, nodes, image);
    const ips = Object.fromEntries(nodes.map((n) => [n, podIP(c, n)]));
    for (const from of nodes) {
      for (const to of nodes.filter((n) => n !== from)) {
        const r = inPod(c, from, `timeout 15 wget -q -O - http://${ips[to]}:8080/`);
        expect(r.out.trim(), `${from} → ${to} (${ips[to]})`).toBe(to);
      }
    }
    const dns = inPod(c, nodes[nodes.length - 1], `nslookup kubernetes.default.svc.${c.plan.model.kubernetes.dnsDomain}`);
    expect(dns.status, dns.out).toBe(0);
    expect(dns.out).toContain(`Address: ${c.plan.model.kubernetes.apiServiceIP}`);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = inPod(c, nodes[0], `timeout 15 wget -q -O - http://web.${NAMESPACE}.svc.${c.plan.model.kubernetes.dnsDomain}/`);
      expect(r.status, r.out).toBe(0);
      seen.add(r.out.trim());
    }
    for (const s of seen) expect(nodes).toContain(s);
    // every image a node holds is the cluster's own (images.json) or the test's, and the registry served them
    const images = JSON.parse(readFileSync(join(c.output, "registry/images.json"), "utf8")).images as { source: string; targets: string[] }[];
    const allowed = new Set([...images.flatMap((i) => [i.source, ...i.targets]), image]);
    for (const n of booted()) {
      const held = JSON.parse(onNode(c, n, "crictl images -o json").out).images.flatMap((i: { repoTags: string[] }) => i.repoTags) as string[];
      expect(held.length, n).toBeGreaterThan(0);
      for (const tag of held) expect(allowed.has(tag), `${n} holds ${tag}`).toBe(true);
    }
    const log = run("podman", ["logs", registryContainer(c)], 60_000).out;
    const prefix = c.plan.model.registry.prefix;
    for (const i of images.filter((x) => !/haproxy|keepalived|ingress/.test(x.source))) {
      const path = i.targets[0].slice(c.plan.model.registry.repository.length + 1).replace(/:[^:/]+$/, "");
      expect(log, `registry served ${i.source}`).toContain(`/v2/${prefix}/${path}/manifests/`);
    }
  });

  it("4. the RBAC user's kubeconfig has exactly its group's rights, and a Secret is stored encrypted in etcd", () => {
    const c = get();
    const user = c.plan.model.users[0];
    const conf = kubeconfigFor(c, `kubeconfigs/users/${user.name}.conf`);
    const can = (verb: string, resource: string, ns: string) => kubectl(c, ["auth", "can-i", verb, resource, "-n", ns], conf).out.trim();
    kubectlOk(c, ["create", "namespace", "rbac-e2e"]);
    expect(can("list", "pods", "rbac-e2e")).toBe("no");
    kubectlOk(c, ["-n", "rbac-e2e", "create", "role", "pod-reader", "--verb=get,list", "--resource=pods"]);
    kubectlOk(c, ["-n", "rbac-e2e", "create", "rolebinding", "readers", "--role=pod-reader", `--group=${user.groups[0]}`]);
    expect(can("list", "pods", "rbac-e2e")).toBe("yes");
    expect(can("list", "pods", "kube-system")).toBe("no");
    expect(can("create", "secrets", "rbac-e2e")).toBe("no");
    expect(can("delete", "pods", "rbac-e2e")).toBe("no");
    expect(kubectl(c, ["-n", "rbac-e2e", "get", "pods"], conf).status).toBe(0);
    expect(kubectl(c, ["-n", "kube-system", "get", "pods"], conf).out).toMatch(/Forbidden/);

    const marker = `kubeseed-e2e-plaintext-${Date.now()}`;
    kubectlOk(c, ["-n", "rbac-e2e", "create", "secret", "generic", "sealed", `--from-literal=value=${marker}`]);
    const init = c.plan.nodes.find((n) => n.init)!;
    const pki = (rel: string) => nodePkiFile(c, init.name, rel);
    const etcdAt = c.plan.model.etcd.topology === "external" ? c.plan.nodes.find((n) => n.role === "etcd")!.address : init.address;
    const etcd = run("etcdctl", ["--endpoints", `https://${etcdAt}:2379`, "--cacert", pki("etcd/ca.crt"), "--cert", pki("apiserver-etcd-client.crt"), "--key", pki("apiserver-etcd-client.key"), "get", "/registry/secrets/rbac-e2e/sealed", "--print-value-only"], 60_000);
    expect(etcd.status, etcd.out).toBe(0);
    expect(etcd.out.startsWith("k8s:enc:secretbox:v1:")).toBe(true);
    expect(etcd.out).not.toContain(marker);
    expect(kubectlOk(c, ["-n", "rbac-e2e", "get", "secret", "sealed", "-o", "jsonpath={.data.value}"]).trim()).toBe(Buffer.from(marker).toString("base64"));
  });

  it("6. the nodes booted from what gen wrote: the seed ISO's files, cloud-init's user-data, and the kubeconfigs kubeadm kept", () => {
    const c = get();
    for (const n of booted()) {
      const docs = join(c.output, "nodes", n, "cloud-init");
      const seed = join(c.workdir, "seeds", n);
      expect(readdirSync(seed).sort(), n).toEqual(["meta-data", "network-config", "user-data"]);
      for (const f of readdirSync(seed)) expect(sha(readFileSync(join(seed, f))), `${n} ${f}`).toBe(sha(readFileSync(join(docs, f))));
      expect(onNode(c, n, "sha256sum /var/lib/cloud/instance/user-data.txt").out.split(" ")[0], n).toBe(sha(readFileSync(join(docs, "user-data"))));
    }
    // pre-issued: kubeadm kept gen's kubeconfigs byte for byte; on-node: kubeadm wrote them, each client
    // certificate signed by the cluster CA of the output (no other CA exists on the node)
    const onNodeCerts = c.plan.model.pki.controlPlaneCertificates === "on-node";
    for (const n of c.plan.nodes.filter((x) => booted().includes(x.name) && x.role === "control-plane")) {
      const confs = n.init ? ["admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf"] : ["admin.conf", "controller-manager.conf", "scheduler.conf"];
      for (const conf of confs) {
        const generated = join(c.output, "nodes", n.name, "files/etc/kubernetes", conf);
        expect(existsSync(generated), `${n.name} ${conf} in the output tree`).toBe(!onNodeCerts);
        if (existsSync(generated)) {
          expect(onNode(c, n.name, `sha256sum /etc/kubernetes/${conf}`).out.split(" ")[0], `${n.name} ${conf}`).toBe(sha(readFileSync(generated)));
          continue;
        }
        const client = onNode(c, n.name, `sed -n 's/^ *client-certificate-data: //p' /etc/kubernetes/${conf} | base64 -d`).out;
        expect(client, `${n.name} ${conf} has a client certificate`).toContain("BEGIN CERTIFICATE");
        const verified = run("openssl", ["verify", "-CAfile", join(c.output, "pki/ca.crt")], 30_000, client);
        expect(verified.out, `${n.name} ${conf} signed by the output's cluster CA`).toContain("stdin: OK");
      }
    }
  });
}
