/**
 * A real control plane from the prod profile's generated files (v1.34.10), then real joins against it.
 *
 * support/control-plane.ts starts etcd, kube-apiserver and kube-controller-manager in the init
 * node's namespaces from the static Pod manifests kubeadm writes for the node's own config; its
 * /etc/kubernetes and /etc/hosts are mounted in place and its network carries its private address
 * and the endpoint's VIP. So nothing is rewritten: every program below uses the generated configs,
 * kubeconfigs and certificates, the generated addresses and kubeadm's real ports, with TLS verified
 * everywhere (the endpoint's DNS name resolves through the node's /etc/hosts to the VIP).
 * kube-controller-manager is needed because its bootstrapsigner signs the cluster-info ConfigMap
 * that join discovery verifies.
 * Then kubeadm's own init phases run against it with the generated config, and the generated
 * kubeconfigs, the bootstrap token and CA hash, the RBAC user and the encryption at rest are proved.
 * Joining nodes get their own mount namespace (their tree, their /etc/hosts) in the same network.
 * Tests run in order: each builds on the cluster state the previous ones left.
 */
import { createHash, createPublicKey } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleProfile, preIssued } from "../../helpers/generate.js";
import { Daemons, waitFor, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";
import { startControlPlane, type ControlPlane } from "./support/control-plane.js";
import { NodeNamespace } from "./support/node-ns.js";
import { fingerprint, flagMap, KUBEADM_CONFIG, manifestCommand, readDocs, stageEtcKubernetes, type NodeFiles, type Output, writeOutput } from "./support/output.js";
import { JOIN_CERTS_USED, kubeconfigUsed, said, unexpectedServerWarnings } from "./support/said.js";
import { MACHINE_CHECKS, SHARED_HOST_CHECKS } from "./support/preflight.js";

/** kubeadm's discovery pin: sha256 of the certificate's SubjectPublicKeyInfo (DER). */
function spkiHash(certFile: string): string {
  const der = createPublicKey(readFileSync(certFile)).export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(der).digest("hex")}`;
}

describeWithKubeBins(
  "a control plane from the generated files (prod, v1.34.10)",
  { kubeadm: [KUBE_134, "kubeadm"], apiserver: [KUBE_134, "kube-apiserver"], controllerManager: [KUBE_134, "kube-controller-manager"] },
  (bins) => {
    const daemons = new Daemons();
    let o: Output;
    let c: ControlPlane;
    let init: NodeFiles;
    let endpoint = { host: "", port: 0 };
    let token = "";

    const op = (rel: string) => join(o.out, rel);
    const kubeadm = (ns: NodeNamespace, args: string[], timeoutMs = 60_000) => ns.run(bins.kubeadm, args, { timeoutMs });
    const kubectl = (kubeconfig: string, ...args: string[]) => c.kubectl(kubeconfig, ...args);
    const ok = (r: Ran, what: string) => {
      expect(r.status, `${what}:\n${r.out}`).toBe(0);
      return r.stdout;
    };

    beforeAll(async () => {
      o = await writeOutput(preIssued(exampleProfile("prod")), "ks-kubeadm-cp-");
      c = await startControlPlane(daemons, o, bins);
      ({ init, endpoint } = c);
      token = init.doc("InitConfiguration").bootstrapTokens[0].token;
    }, 150_000);

    afterAll(async () => {
      await daemons.stopAll();
      o?.dispose();
    });

    it("kube-apiserver runs kubeadm's command line for the generated config, encryption config included", () => {
      const apiserver = flagMap(manifestCommand(join(c.etc, "manifests/kube-apiserver.yaml")).slice(1));
      expect(apiserver.get("encryption-provider-config")).toBe("/etc/kubernetes/pki/encryption-config.yaml");
      expect(apiserver.get("advertise-address")).toBe(init.doc("InitConfiguration").localAPIEndpoint.advertiseAddress);
      expect(apiserver.get("tls-cert-file")).toBe("/etc/kubernetes/pki/apiserver.crt");
      expect(daemons.exited()).toEqual([]);
    });

    it("super-admin.conf lists the namespaces through the endpoint name, TLS verified", () => {
      expect(parse(readFileSync(op("kubeconfigs/super-admin.conf"), "utf8")).clusters[0].cluster.server).toBe(`https://${endpoint.host}:${endpoint.port}`);
      const ns = ok(kubectl(op("kubeconfigs/super-admin.conf"), "get", "ns", "-o", "name"), "get ns").trim().split("\n");
      expect(ns).toEqual(expect.arrayContaining(["namespace/default", "namespace/kube-system", "namespace/kube-public", "namespace/kube-node-lease"]));
      const who = JSON.parse(ok(kubectl(op("kubeconfigs/super-admin.conf"), "auth", "whoami", "-o", "json"), "whoami"));
      expect(who.status.userInfo.username).toBe("kubernetes-super-admin");
      expect(who.status.userInfo.groups).toContain("system:masters");
    });

    it("admin.conf has no rights until kubeadm binds its group", () => {
      const r = kubectl(op("kubeconfigs/admin.conf"), "auth", "can-i", "*", "*");
      expect(r.stdout.trim(), r.out).toBe("no");
    });

    it("kubeadm init phase upload-config all stores the generated ClusterConfiguration", () => {
      const r = kubeadm(c.ns, ["init", "phase", "upload-config", "all", "--config", KUBEADM_CONFIG]);
      ok(r, "upload-config");
      expect(r.stdout).toMatch(/Storing the configuration used in ConfigMap "kubeadm-config"/);
      const stored = parse(ok(kubectl(op("kubeconfigs/super-admin.conf"), "get", "cm", "-n", "kube-system", "kubeadm-config", "-o", "jsonpath={.data.ClusterConfiguration}"), "get cm"));
      const generated = init.doc("ClusterConfiguration");
      expect(stored.controlPlaneEndpoint).toBe(generated.controlPlaneEndpoint);
      expect(stored.kubernetesVersion).toBe(generated.kubernetesVersion);
      expect(stored.apiServer.certSANs).toEqual(generated.apiServer.certSANs);
      ok(kubectl(op("kubeconfigs/super-admin.conf"), "get", "cm", "-n", "kube-system", "kubelet-config"), "kubelet-config");
    });

    it("kubeadm init phase bootstrap-token creates the generated token", () => {
      const r = kubeadm(c.ns, ["init", "phase", "bootstrap-token", "--config", KUBEADM_CONFIG]);
      ok(r, "bootstrap-token");
      expect(r.stdout).toContain(`[bootstrap-token] Using token: ${token}`);
      const [id, secret] = token.split(".");
      const s = JSON.parse(ok(kubectl(op("kubeconfigs/super-admin.conf"), "get", "secret", "-n", "kube-system", `bootstrap-token-${id}`, "-o", "json"), "token secret"));
      expect(Buffer.from(s.data["token-secret"], "base64").toString()).toBe(secret);
      expect(s.type).toBe("bootstrap.kubernetes.io/token");
    });

    it("kubeadm init phase addon all applies CoreDNS and kube-proxy", () => {
      const r = kubeadm(c.ns, ["init", "phase", "addon", "all", "--config", KUBEADM_CONFIG]);
      ok(r, "addon all");
      expect(r.stdout).toMatch(/Applied essential addon: CoreDNS/);
      expect(r.stdout).toMatch(/Applied essential addon: kube-proxy/);
      ok(kubectl(op("kubeconfigs/super-admin.conf"), "get", "deployment", "-n", "kube-system", "coredns"), "coredns");
      const proxy = parse(ok(kubectl(op("kubeconfigs/super-admin.conf"), "get", "cm", "-n", "kube-system", "kube-proxy", "-o", "jsonpath={.data.config\\.conf}"), "kube-proxy cm"));
      expect(proxy.clusterCIDR).toBe(init.doc("KubeProxyConfiguration").clusterCIDR);
    });

    it.each(["kubeconfigs/admin.conf", `nodes/INIT/files/etc/kubernetes/admin.conf`])("%s can do everything afterwards", (rel) => {
      const path = op(rel.replace("INIT", init.name));
      const r = kubectl(path, "auth", "can-i", "*", "*");
      expect(r.stdout.trim(), r.out).toBe("yes");
      const who = JSON.parse(ok(kubectl(path, "auth", "whoami", "-o", "json"), "whoami"));
      expect(who.status.userInfo).toMatchObject({ username: "kubernetes-admin", groups: expect.arrayContaining(["kubeadm:cluster-admins"]) });
    });

    it.each([
      ["controller-manager.conf", "system:kube-controller-manager"],
      ["scheduler.conf", "system:kube-scheduler"],
      ["kubelet.conf", "system:node:INIT"],
    ])("the node's %s authenticates as %s", (file, user) => {
      const who = JSON.parse(ok(kubectl(`/etc/kubernetes/${file}`, "auth", "whoami", "-o", "json"), "whoami"));
      expect(who.status.userInfo.username).toBe(user.replace("INIT", init.name));
    });

    it("kube-controller-manager runs on controller-manager.conf and signs cluster-info for the token", async () => {
      const [id] = token.split(".");
      let last: Ran | undefined;
      const info = await waitFor(
        "cluster-info signed for the token",
        () => {
          if (daemons.exited().length) throw new Error(daemons.exited().join("\n"));
          last = kubectl(op("kubeconfigs/super-admin.conf"), "get", "cm", "-n", "kube-public", "cluster-info", "-o", "json");
          const data = last.status === 0 ? JSON.parse(last.stdout).data : undefined;
          return data?.[`jws-kubeconfig-${id}`] ? data : undefined;
        },
        60_000,
        () => `${last?.out}\n${daemons.log("kube-controller-manager").slice(-3000)}`,
      );
      const kubeconfig = parse(info.kubeconfig);
      expect(kubeconfig.clusters[0].cluster.server).toBe(`https://${endpoint.host}:${endpoint.port}`);
      expect(Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe(readFileSync(join(init.root, "etc/kubernetes/pki/ca.crt"), "utf8"));
    });

    it("developer.conf gets exactly the rights bound to its group", () => {
      const admin = op("kubeconfigs/super-admin.conf");
      const dev = op("kubeconfigs/users/developer.conf");
      const who = JSON.parse(ok(kubectl(dev, "auth", "whoami", "-o", "json"), "whoami"));
      expect(who.status.userInfo.username).toBe("developer");
      expect(who.status.userInfo.groups).toEqual(expect.arrayContaining(["developers", "system:authenticated"]));
      expect(kubectl(dev, "auth", "can-i", "list", "pods", "-n", "team-a").stdout.trim()).toBe("no");
      ok(kubectl(admin, "create", "namespace", "team-a"), "create ns");
      ok(kubectl(admin, "create", "role", "pod-reader", "-n", "team-a", "--verb=get,list,watch", "--resource=pods"), "create role");
      ok(kubectl(admin, "create", "rolebinding", "developers-read-pods", "-n", "team-a", "--role=pod-reader", "--group=developers"), "create rolebinding");
      const can = (...a: string[]) => kubectl(dev, "auth", "can-i", ...a).stdout.trim();
      expect(can("list", "pods", "-n", "team-a")).toBe("yes");
      expect(can("list", "pods", "-n", "default")).toBe("no");
      expect(can("create", "pods", "-n", "team-a")).toBe("no");
      expect(can("list", "secrets", "-n", "team-a")).toBe("no");
      expect(can("*", "*")).toBe("no");
      ok(kubectl(dev, "get", "pods", "-n", "team-a"), "developer lists pods in team-a");
      const denied = kubectl(dev, "get", "pods", "-n", "default");
      expect(denied.status).not.toBe(0);
      expect(denied.out).toMatch(/forbidden: User "developer" cannot list resource "pods"/);
    });

    it("stores a Secret encrypted with the generated encryption config", () => {
      const enc = readDocs(join(init.root, "etc/kubernetes/pki/encryption-config.yaml"))[0];
      const provider = enc.resources[0].providers[0];
      const [kind] = Object.keys(provider);
      const keyName = provider[kind].keys[0].name;
      const value = `kubeseed-plaintext-${Date.now()}`;
      ok(kubectl(op("kubeconfigs/admin.conf"), "create", "secret", "generic", "probe", "-n", "default", `--from-literal=value=${value}`), "create secret");
      const r = c.ns.run(
        "etcdctl",
        ["--endpoints=https://127.0.0.1:2379", "--cacert=/etc/kubernetes/pki/etcd/ca.crt", "--cert=/etc/kubernetes/pki/apiserver-etcd-client.crt", "--key=/etc/kubernetes/pki/apiserver-etcd-client.key", "get", "/registry/secrets/default/probe", "-w", "json"],
        { env: { ...process.env, ETCDCTL_API: "3" }, timeoutMs: 20_000 },
      );
      ok(r, "etcdctl get");
      const raw = Buffer.from(JSON.parse(r.stdout).kvs[0].value, "base64");
      expect(raw.subarray(0, 40).toString("latin1")).toMatch(new RegExp(`^k8s:enc:${kind}:v1:${keyName}:`));
      expect(kind).toBe("secretbox");
      expect(raw.includes(Buffer.from(value))).toBe(false);
      const back = ok(kubectl(op("kubeconfigs/admin.conf"), "get", "secret", "probe", "-n", "default", "-o", "jsonpath={.data.value}"), "read back");
      expect(Buffer.from(back, "base64").toString()).toBe(value);
    });

    it("kube-apiserver writes the audit log of the generated policy: Secrets by name only, RBAC changes with their objects, system:masters too", async () => {
      const apiserver = flagMap(manifestCommand(join(c.etc, "manifests/kube-apiserver.yaml")).slice(1));
      expect(apiserver.get("audit-policy-file")).toBe("/etc/kubernetes/audit/policy.yaml");
      expect(apiserver.get("audit-log-path")).toBe("/var/log/kubernetes/audit/audit.log");
      expect([apiserver.get("audit-log-maxage"), apiserver.get("audit-log-maxbackup"), apiserver.get("audit-log-maxsize")]).toEqual(["30", "10", "100"]);
      const pod = readDocs(join(c.etc, "manifests/kube-apiserver.yaml"))[0];
      expect(pod.spec.volumes).toEqual(expect.arrayContaining([
        { name: "audit-policy", hostPath: { path: "/etc/kubernetes/audit", type: "DirectoryOrCreate" } },
        { name: "audit-log", hostPath: { path: "/var/log/kubernetes/audit", type: "DirectoryOrCreate" } },
      ]));
      const value = `kubeseed-audit-secret-${Date.now()}`;
      ok(kubectl(op("kubeconfigs/admin.conf"), "create", "secret", "generic", "audited", "-n", "default", `--from-literal=value=${value}`), "create secret");
      ok(kubectl(op("kubeconfigs/admin.conf"), "get", "secret", "audited", "-n", "default", "-o", "yaml"), "read secret");
      const log = c.ns.varLog("kubernetes/audit/audit.log");
      type Event = { level: string; verb: string; stage: string; user: { username: string }; objectRef?: { resource: string; name?: string; namespace?: string }; requestObject?: unknown; responseObject?: unknown };
      const events = (): Event[] => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []);
      const secretEvent = (verb: string) => events().find((e) => e.objectRef?.resource === "secrets" && e.objectRef.name === "audited" && e.verb === verb && e.stage === "ResponseComplete");
      await waitFor("the Secret's audit events", () => (secretEvent("create") && secretEvent("get") ? true : undefined), 30_000, () => `${events().length} events in ${log}`);
      for (const verb of ["create", "get"]) {
        expect(secretEvent(verb), verb).toMatchObject({ level: "Metadata", user: { username: "kubernetes-admin" } });
        expect(secretEvent(verb)?.requestObject).toBeUndefined();
        expect(secretEvent(verb)?.responseObject).toBeUndefined();
      }
      const text = readFileSync(log, "utf8");
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString("base64"));
      // the role binding the RBAC test made, with the object; the break-glass identity is logged too
      const binding = events().find((e) => e.objectRef?.resource === "rolebindings" && e.objectRef.name === "developers-read-pods" && e.verb === "create" && e.stage === "ResponseComplete");
      expect(binding).toMatchObject({ level: "RequestResponse", objectRef: { name: "developers-read-pods", namespace: "team-a" } });
      expect(binding?.requestObject).toMatchObject({ kind: "RoleBinding" });
      expect(events().some((e) => e.user.username === "kubernetes-super-admin")).toBe(true);
      // health probes and lease renewals are not logged
      expect(events().some((e) => /healthz|readyz|livez/.test(JSON.stringify(e.objectRef ?? {})) || (e as { requestURI?: string }).requestURI?.startsWith("/readyz"))).toBe(false);
      expect(events().some((e) => e.objectRef?.resource === "leases" && e.verb === "update")).toBe(false);
    }, 60_000);

    it("kubeadm init phase mark-control-plane: `taints: []` (ingress profile) leaves the node untainted, prod's default taints it", async () => {
      const ingress = await writeOutput(exampleProfile("ingress"), "ks-kubeadm-ingress-");
      try {
        const untainted = ingress.node("init");
        expect(untainted.doc("InitConfiguration").nodeRegistration.taints).toEqual([]);
        expect(untainted.name).toBe(init.name);
        const admin = op("kubeconfigs/super-admin.conf");
        const node = join(o.scratch("node-object"), "node.yaml");
        // as a kubelet registers it (kubeadm's PatchNodeOnce waits for the hostname label)
        writeFileSync(node, stringify({ apiVersion: "v1", kind: "Node", metadata: { name: init.name, labels: { "kubernetes.io/hostname": init.name } } }));
        ok(kubectl(admin, "apply", "-f", node), "create Node");
        // only the taint mark-control-plane decides: the API server's TaintNodesByCondition admission gives
        // a new Node node.kubernetes.io/not-ready, which the controller-manager takes away when it gets to it
        const taints = () =>
          ((JSON.parse(ok(kubectl(admin, "get", "node", init.name, "-o", "json"), "get node")).spec.taints ?? []) as { key: string }[]).filter(
            (t) => t.key === "node-role.kubernetes.io/control-plane",
          );
        const mark = (config: string) => ok(kubeadm(c.ns, ["init", "phase", "mark-control-plane", "--config", config]), `mark-control-plane ${config}`);
        mark(untainted.config);
        expect(taints()).toEqual([]);
        const labels = JSON.parse(ok(kubectl(admin, "get", "node", init.name, "-o", "json"), "get node")).metadata.labels;
        expect(labels).toHaveProperty("node-role.kubernetes.io/control-plane");
        mark(KUBEADM_CONFIG);
        expect(taints()).toEqual([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
      } finally {
        ingress.dispose();
      }
    }, 120_000);

    it("the real API server takes the ingress example's ingress-nginx manifest: fixed NodePorts, and an Ingress without a class gets nginx", async () => {
      const ingress = await writeOutput(exampleProfile("ingress"), "ks-kubeadm-ingress-");
      try {
        const admin = op("kubeconfigs/super-admin.conf");
        ok(kubectl(admin, "apply", "-f", join(ingress.node("init").root, "etc/kubernetes/kubeseed/ingress-nginx.yaml")), "apply ingress-nginx");
        const svc = JSON.parse(ok(kubectl(admin, "get", "svc", "-n", "ingress-nginx", "ingress-nginx-controller", "-o", "json"), "get svc"));
        expect(svc.spec.ports.map((p: { name: string; nodePort: number }) => [p.name, p.nodePort])).toEqual([["http", 30080], ["https", 30043]]);
        const rule = { host: "app.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "app", port: { number: 80 } } } }] } };
        const file = join(o.scratch("ingress-object"), "ingress.yaml");
        writeFileSync(file, stringify({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "app", namespace: "default" }, spec: { rules: [rule] } }));
        ok(kubectl(admin, "apply", "-f", file), "create Ingress");
        expect(ok(kubectl(admin, "get", "ingress", "app", "-n", "default", "-o", "jsonpath={.spec.ingressClassName}"), "get ingress")).toBe("nginx");
      } finally {
        ingress.dispose();
      }
    }, 120_000);

    /** a joining node: its own mount namespace (its tree, its /etc/hosts) in the control plane's network */
    async function joiner(node: NodeFiles): Promise<{ ns: NodeNamespace; etc: string; before: Record<string, string>; scratch: string }> {
      const scratch = o.scratch(node.name);
      const etc = stageEtcKubernetes(node, join(scratch, "etc-kubernetes"));
      const ns = await NodeNamespace.create(daemons, { name: node.name, scratch, etcKubernetes: etc, hosts: join(node.root, "etc/hosts"), network: c.ns });
      return { ns, etc, before: fingerprint(etc), scratch };
    }
    const discovered = (r: Ran) =>
      expect(r.out).toContain(`Cluster info signature and contents are valid and TLS certificate validates against pinned roots, will use API Server "${endpoint.host}:${endpoint.port}"`);

    it("a worker's JoinConfiguration passes token discovery pinned by the CA hash", async () => {
      const w = await joiner(o.node("worker-join"));
      const r = kubeadm(w.ns, ["join", "phase", "preflight", "--config", KUBEADM_CONFIG, `--ignore-preflight-errors=${MACHINE_CHECKS.join(",")}`, "--v=1"], 90_000);
      ok(r, "join phase preflight");
      discovered(r);
      expect(r.out).toMatch(/Reading configuration from the "kubeadm-config" ConfigMap/);
      expect(fingerprint(w.etc)).toEqual(w.before);
    }, 120_000);

    it("a wrong CA hash is refused", async () => {
      const worker = o.node("worker-join");
      const w = await joiner(worker);
      const cfg = worker.doc("JoinConfiguration");
      const good = cfg.discovery.bootstrapToken.caCertHashes[0];
      const wrong = spkiHash(join(init.root, "etc/kubernetes/pki/front-proxy-ca.crt"));
      expect(wrong).not.toBe(good);
      expect(spkiHash(join(init.root, "etc/kubernetes/pki/ca.crt"))).toBe(good);
      const bad = join(w.scratch, "wrong-ca-hash.yaml");
      writeFileSync(bad, stringify({ ...cfg, discovery: { ...cfg.discovery, bootstrapToken: { ...cfg.discovery.bootstrapToken, caCertHashes: [wrong] } } }));
      const r = kubeadm(w.ns, ["join", "phase", "preflight", "--config", bad, `--ignore-preflight-errors=${MACHINE_CHECKS.join(",")}`], 90_000);
      expect(r.status, r.out).not.toBe(0);
      expect(r.out).toContain(`cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${good}" are pinned`);
    }, 120_000);

    it("a joining control plane: preflight, then control-plane-prepare certs and kubeconfig keep its files", async () => {
      const node = o.node("control-plane-join");
      const j = await joiner(node);
      // Preflight ends by pulling the control-plane images through the container runtime, which
      // this machine does not have (RunPullImagesCheck: not an ignorable check). Every check
      // before it, the discovery and checkIfReadyForAdditionalControlPlane must have passed.
      const pre = kubeadm(j.ns, ["join", "phase", "preflight", "--config", KUBEADM_CONFIG, `--ignore-preflight-errors=${[...MACHINE_CHECKS, ...SHARED_HOST_CHECKS].join(",")}`, "--v=1"], 90_000);
      discovered(pre);
      expect(pre.stdout, pre.out).toMatch(/Running pre-flight checks before initializing the new control plane instance/);
      expect(pre.stdout, pre.out).toMatch(/Pulling images required for setting up a Kubernetes cluster/);
      expect(pre.out).not.toMatch(/\[ERROR /);
      if (pre.status !== 0) expect(pre.stderr).toMatch(/\nfailed to create new CRI runtime service: .*containerd\.sock.*\[preflight\] If you know what you are doing/);
      const certs = kubeadm(j.ns, ["join", "phase", "control-plane-prepare", "certs", "--config", KUBEADM_CONFIG], 90_000);
      ok(certs, "control-plane-prepare certs");
      expect(said(certs, "[certs]").sort(), certs.out).toEqual([...JOIN_CERTS_USED].sort());
      const kubeconfigs = kubeadm(j.ns, ["join", "phase", "control-plane-prepare", "kubeconfig", "--config", KUBEADM_CONFIG], 90_000);
      ok(kubeconfigs, "control-plane-prepare kubeconfig");
      expect(said(kubeconfigs, "[kubeconfig]"), kubeconfigs.out).toEqual(["admin", "controller-manager", "scheduler"].map(kubeconfigUsed));
      expect(unexpectedServerWarnings([kubeconfigs])).toEqual([]);
      expect(fingerprint(j.etc)).toEqual(j.before);
    }, 180_000);
  },
);
