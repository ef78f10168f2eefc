/**
 * Day two with the real kubeadm v1.34.10, kube-apiserver, kube-controller-manager and etcd, on the
 * control plane of the prod profile (support/control-plane.ts: the init node's own namespaces, its
 * generated /etc/kubernetes and /etc/hosts, TLS verified everywhere):
 *
 * Renewal. The cluster is generated with an injected clock 355 days in the past, so every leaf
 * certificate and kubeconfig has 10 days left. The rendered kubeseed-renew-certs runs in a namespace
 * that shares the control plane's network and /etc/kubernetes (the very files the running apiserver
 * uses; /var/lib overlaid so its state stays in the scratch dir), with the real kubeadm and kubectl on
 * PATH and openssl, flock, base64 from the host. No container runtime runs here, so crictl is a
 * stand-in that records its calls and lists no Pod (true: none runs); the test then restarts etcd,
 * kube-apiserver and kube-controller-manager itself with their manifests' command lines, as the
 * kubelet does once the script removed their Pods. Proven: every leaf and kubeconfig is renewed by
 * `kubeadm certs renew all` with the profile's key algorithm and validity (renew.yaml), the CAs and the
 * service-account keys keep their bytes, subjects and SANs stay, the running apiserver accepts the
 * renewed admin.conf, after the restart the servers present the renewed certificates and accept every
 * renewed kubeconfig, and a second run has nothing to do.
 *
 * Late join. The first generation leaves kube-worker-3 out; the second (now, with the first's secrets
 * file: the 24 h token may have expired long ago) adds it. The original token is made to expire in the
 * cluster (its Secret's expiration set to the past, as kubeadm's TTL would), so the bootstrapsigner
 * withdraws its cluster-info signature: a worker rendered with it fails discovery with the error
 * kubeseed-bootstrap reports. The added worker, which carries only its own pre-issued credential
 * (kubeadm/discovery.conf, no CA key, no token), passes kubeadm's join preflight with file discovery
 * and reads the cluster's kubeadm-config with it; then the real kubelet, given that file as its
 * bootstrap kubeconfig (what kubeadm join hands it), performs its TLS bootstrap: its CSR is approved
 * by the real kube-controller-manager and signed by the cluster CA, and the kubeconfig it writes
 * authenticates as system:node:kube-worker-3.
 */
import { X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleProfile, preIssued } from "../../helpers/generate.js";
import { Daemons, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";
import { startControlPlane, type ControlPlane } from "./support/control-plane.js";
import { NodeNamespace } from "./support/node-ns.js";
import { fingerprint, KUBEADM_CONFIG, stageEtcKubernetes, writeOutput, type NodeFiles, type Output } from "./support/output.js";
import { MACHINE_CHECKS } from "./support/preflight.js";
import { waitFor } from "../support/proc.js";
import { stringify } from "yaml";
import { TOKEN_ERROR_PATTERNS } from "../../../generator/render/bootstrap/data.js";

const DAY = 24 * 3600 * 1000;
/** the worker added by the second generation */
const LATE = "kube-worker-3";
const LEAVES = ["apiserver", "apiserver-kubelet-client", "front-proxy-client", "apiserver-etcd-client", "etcd/server", "etcd/peer", "etcd/healthcheck-client"];
const KUBECONFIGS = ["admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf"];
const KEPT = ["ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "etcd/ca.crt", "etcd/ca.key", "sa.key", "sa.pub"].map((f) => `pki/${f}`);

interface Seen {
  serial: string;
  notAfter: number;
  subject: string;
  sans: string | undefined;
  curve: string | undefined;
}

const seen = (pem: string): Seen => {
  const c = new X509Certificate(pem);
  return { serial: c.serialNumber, notAfter: new Date(c.validTo).getTime(), subject: c.subject, sans: c.subjectAltName, curve: c.publicKey.asymmetricKeyDetails?.namedCurve };
};
/** the client certificate embedded in a kubeconfig, and its CA data and server */
const kubeconfigParts = (text: string) => {
  const k = parse(text);
  return { cert: Buffer.from(k.users[0].user["client-certificate-data"], "base64").toString(), ca: k.clusters[0].cluster["certificate-authority-data"], server: k.clusters[0].cluster.server };
};

describeWithKubeBins(
  "day two on a control plane from the generated files (prod, v1.34.10)",
  {
    kubeadm: [KUBE_134, "kubeadm"],
    kubectl: [KUBE_134, "kubectl"],
    kubelet: [KUBE_134, "kubelet"],
    apiserver: [KUBE_134, "kube-apiserver"],
    controllerManager: [KUBE_134, "kube-controller-manager"],
  },
  (bins) => {
    const daemons = new Daemons();
    let o: Output;
    let c: ControlPlane;
    let init: NodeFiles;
    let renewer: NodeNamespace;
    let bin = "";
    let crictlCalls = "";
    const before = new Map<string, string>();

    const ok = (r: Ran, what: string) => {
      expect(r.status, `${what}:\n${r.out}`).toBe(0);
      return r.stdout;
    };
    const etcFile = (rel: string) => readFileSync(join(c.etc, rel), "utf8");
    const renew = () => renewer.run("bash", [join(init.root, "usr/local/sbin/kubeseed-renew-certs")], { env: { PATH: `${bin}:${process.env.PATH}`, LANG: "C" }, timeoutMs: 240_000 });
    const status = () =>
      Object.fromEntries(
        renewer
          .run("cat", ["/var/lib/kubeseed/renewal"])
          .stdout.trimEnd()
          .split("\n")
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );

    beforeAll(async () => {
      const profile = preIssued(exampleProfile("prod"));
      const firstNodes = profile.spec.nodes.filter((n) => n.name !== LATE);
      o = await writeOutput({ ...profile, spec: { ...profile.spec, nodes: firstNodes } }, "ks-day-two-", { at: new Date(Date.now() - 355 * DAY) });
      c = await startControlPlane(daemons, o, bins);
      init = c.init;
      for (const phase of [["upload-config", "all"], ["bootstrap-token"]]) ok(c.ns.run(bins.kubeadm, ["init", "phase", ...phase, "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), phase.join(" "));
      // the renewal's namespace: the control plane's network and its very /etc/kubernetes; /var/lib overlaid
      const scratch = o.scratch("renew");
      renewer = await NodeNamespace.create(daemons, { name: "renew", scratch, etcKubernetes: c.etc, hosts: join(init.root, "etc/hosts"), network: c.ns, overlays: ["/var/lib"] });
      bin = join(scratch, "bin");
      mkdirSync(bin);
      symlinkSync(bins.kubeadm, join(bin, "kubeadm"));
      symlinkSync(bins.kubectl, join(bin, "kubectl"));
      crictlCalls = join(scratch, "crictl.calls");
      writeFileSync(crictlCalls, "");
      // no container runtime here: crictl records its call and lists no Pod (none runs)
      writeFileSync(join(bin, "crictl"), `#!/bin/bash\necho "crictl $*" >> ${crictlCalls}\n[ "$1" = pods ] || exit 97\n`);
      chmodSync(join(bin, "crictl"), 0o755);
      for (const f of [...KEPT, ...LEAVES.map((l) => `pki/${l}.crt`), ...KUBECONFIGS]) before.set(f, etcFile(f));
    }, 240_000);

    afterAll(async () => {
      await daemons.stopAll();
      o?.dispose();
    });

    it("10 days left: kubeseed-renew-certs renews every leaf and kubeconfig with kubeadm, keeps the CAs, and the running apiserver accepts the renewed admin.conf", () => {
      const r = renew();
      expect(r.status, r.out).toBe(0);
      const st = status();
      expect(st, r.out).toMatchObject({ state: "renewed", step: "complete", node: init.name });
      expect(st.message).toMatch(/^renewed 11 certificates and kubeconfigs; restarted: none; the next expiry: \S+ on \d{4}-\d\d-\d\d$/);
      expect(r.out).toMatch(/\[renew\] running kubeadm certs renew all --config \/etc\/kubernetes\/kubeadm\/renew\.yaml/);
      expect(r.out).toMatch(/\[renew\] certificate embedded in the kubeconfig file for the super-admin renewed/);
      expect(r.out).toMatch(/\[renew\] Done renewing certificates/);
      // the script waited for /readyz through the renewed admin.conf against the apiserver still running on the old files
      expect(r.out).toMatch(/waiting for https:\/\/[\d.]+:6443\/readyz with the renewed admin\.conf/);
      for (const f of KEPT) expect(etcFile(f), f).toBe(before.get(f));
      const now = Date.now();
      for (const l of LEAVES) {
        const was = seen(before.get(`pki/${l}.crt`)!);
        const is = seen(etcFile(`pki/${l}.crt`));
        expect(is.serial, l).not.toBe(was.serial);
        expect(is.notAfter - now, l).toBeGreaterThan(360 * DAY);
        expect(was.notAfter - now, l).toBeLessThan(11 * DAY);
        // the same names (kubeadm writes DNS names sorted, kubeseed in kubeadm's rule order)
        const names = (x: Seen) => (x.sans ?? "").split(", ").sort();
        expect([is.subject, names(is), is.curve], l).toEqual([was.subject, names(was), "prime256v1"]);
        const ca = l.startsWith("etcd/") || l === "apiserver-etcd-client" ? "etcd/ca.crt" : l === "front-proxy-client" ? "front-proxy-ca.crt" : "ca.crt";
        expect(new X509Certificate(etcFile(`pki/${l}.crt`)).verify(new X509Certificate(etcFile(`pki/${ca}`)).publicKey), l).toBe(true);
      }
      for (const k of KUBECONFIGS) {
        const was = kubeconfigParts(before.get(k)!);
        const is = kubeconfigParts(etcFile(k));
        expect([is.ca, is.server], k).toEqual([was.ca, was.server]);
        expect(seen(is.cert).serial, k).not.toBe(seen(was.cert).serial);
        expect(seen(is.cert).notAfter - now, k).toBeGreaterThan(360 * DAY);
        expect(seen(is.cert).subject, k).toBe(seen(was.cert).subject);
      }
      expect(readFileSync(crictlCalls, "utf8").trim().split("\n")).toEqual(
        ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((p) => `crictl pods --namespace kube-system --name ^${p}-${init.name}$ --state ready --quiet`),
      );
      const backups = ok(renewer.run("ls", ["/var/lib/kubeseed/renewal-backup"]), "ls backups").trim().split("\n");
      expect(backups).toHaveLength(1);
      expect(ok(renewer.run("cat", [`/var/lib/kubeseed/renewal-backup/${backups[0]}/pki/apiserver.crt`]), "backup")).toBe(before.get("pki/apiserver.crt"));
    }, 300_000);

    it("restarted as the kubelet would, etcd and kube-apiserver present the renewed certificates and accept every renewed kubeconfig", async () => {
      await c.restart();
      const local = init.doc("InitConfiguration").localAPIEndpoint.advertiseAddress as string;
      const served = (hostPort: string) => {
        const r = c.ns.run("sh", ["-c", `openssl s_client -connect ${hostPort} -CAfile /etc/kubernetes/pki/${hostPort.endsWith(":2379") ? "etcd/" : ""}ca.crt -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -serial`]);
        return ok(r, `served certificate of ${hostPort}`).trim().replace(/^serial=/, "");
      };
      expect(served(`${local}:6443`)).toBe(seen(etcFile("pki/apiserver.crt")).serial);
      expect(served("127.0.0.1:2379")).toBe(seen(etcFile("pki/etcd/server.crt")).serial);
      for (const [k, user] of [
        ["super-admin.conf", "kubernetes-super-admin"],
        ["admin.conf", "kubernetes-admin"],
        ["controller-manager.conf", "system:kube-controller-manager"],
        ["scheduler.conf", "system:kube-scheduler"],
      ]) {
        const who = JSON.parse(ok(c.kubectl(`/etc/kubernetes/${k}`, "auth", "whoami", "-o", "json"), k));
        expect(who.status.userInfo.username, k).toBe(user);
      }
      expect(c.kubectl("/etc/kubernetes/admin.conf", "auth", "can-i", "*", "*").stdout.trim()).toBe("yes");
    }, 300_000);

    it("the original bootstrap token expires: a worker rendered with it no longer passes discovery", async () => {
      const token = init.doc("InitConfiguration").bootstrapTokens[0].token as string;
      const id = token.split(".")[0];
      const admin = "/etc/kubernetes/super-admin.conf";
      const past = new Date(Date.now() - 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
      ok(c.kubectl(admin, "patch", "secret", "-n", "kube-system", `bootstrap-token-${id}`, "--type", "merge", "-p", JSON.stringify({ stringData: { expiration: past } })), "expire the token");
      let last: Ran | undefined;
      await waitFor(
        "the bootstrapsigner withdraws the expired token's signature",
        () => {
          last = c.kubectl(admin, "get", "cm", "-n", "kube-public", "cluster-info", "-o", "json");
          return last.status === 0 && !JSON.parse(last.stdout).data[`jws-kubeconfig-${id}`] ? true : undefined;
        },
        120_000,
        () => last?.out ?? "",
      );
      const worker = o.nodes.find((n) => n.kind === "worker-join")!;
      const scratch = o.scratch(`${worker.name}-expired`);
      const ns = await NodeNamespace.create(daemons, { name: `${worker.name}-expired`, scratch, etcKubernetes: stageEtcKubernetes(worker, join(scratch, "etc-kubernetes")), hosts: join(worker.root, "etc/hosts"), network: c.ns });
      // the node's own config, with a short discovery timeout instead of kubeadm's 5 minutes of retries
      const config = join(scratch, "join.yaml");
      writeFileSync(config, stringify({ ...worker.doc("JoinConfiguration"), timeouts: { discovery: "20s" } }));
      const r = ns.run(bins.kubeadm, ["join", "phase", "preflight", "--config", config, `--ignore-preflight-errors=${MACHINE_CHECKS.join(",")}`], { timeoutMs: 120_000 });
      expect(r.status, r.out).not.toBe(0);
      expect(TOKEN_ERROR_PATTERNS.some((p) => new RegExp(p, "i").test(r.out)), r.out).toBe(true);
    }, 300_000);

    it("a worker added after that joins with its pre-issued credential: file discovery, then the real kubelet's TLS bootstrap", async () => {
      const later = await writeOutput(preIssued(exampleProfile("prod")), "ks-day-two-late-", { prior: o.g.issue.secrets });
      try {
        expect(later.g.model.join.method).toBe("credential");
        const node = later.nodes.find((n) => n.name === LATE)!;
        const cfg = node.doc("JoinConfiguration");
        expect(cfg.discovery).toEqual({ file: { kubeConfigPath: "/etc/kubernetes/kubeadm/discovery.conf" } });
        expect(JSON.stringify(cfg)).not.toContain(init.doc("InitConfiguration").bootstrapTokens[0].token);
        const scratch = o.scratch(LATE);
        const etc = stageEtcKubernetes(node, join(scratch, "etc-kubernetes"));
        // what the worker holds: its kubeadm config and its own credential, no CA key, no CA file (kubeadm writes it from discovery)
        expect(Object.keys(fingerprint(etc)).sort()).toEqual(["kubeadm/config.yaml", "kubeadm/discovery.conf"]);
        const ns = await NodeNamespace.create(daemons, { name: LATE, scratch, etcKubernetes: etc, hosts: join(node.root, "etc/hosts"), network: c.ns, overlays: ["/var/lib"] });
        const pre = ns.run(bins.kubeadm, ["join", "phase", "preflight", "--config", KUBEADM_CONFIG, `--ignore-preflight-errors=${MACHINE_CHECKS.join(",")}`, "--v=1"], { timeoutMs: 120_000 });
        expect(pre.status, pre.out).toBe(0);
        expect(pre.out).toMatch(/Reading configuration from the "kubeadm-config" ConfigMap/);
        // kubeadm join hands the discovery file to the kubelet as its bootstrap kubeconfig (it has credentials of its own)
        writeFileSync(join(etc, "bootstrap-kubelet.conf"), readFileSync(join(etc, "kubeadm/discovery.conf")), { mode: 0o600 });
        ns.start(`${LATE}-kubelet`, bins.kubelet, ["--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf", "--kubeconfig=/etc/kubernetes/kubelet.conf", `--hostname-override=${LATE}`, "--v=2"]);
        await waitFor(
          "the kubelet's TLS bootstrap",
          () => (ns.run("test", ["-s", "/etc/kubernetes/kubelet.conf"]).status === 0 ? true : undefined),
          120_000,
          () => daemons.log(`${LATE}-kubelet`).slice(-3000),
        );
        await daemons.stop(`${LATE}-kubelet`);
        const who = JSON.parse(ok(ns.run(bins.kubectl, ["--kubeconfig", "/etc/kubernetes/kubelet.conf", "auth", "whoami", "-o", "json"], { timeoutMs: 30_000 }), "whoami with the bootstrapped kubelet.conf"));
        expect(who.status.userInfo.username).toBe(`system:node:${LATE}`);
        expect(who.status.userInfo.groups).toContain("system:nodes");
        const issued = new X509Certificate(ok(ns.run("cat", ["/var/lib/kubelet/pki/kubelet-client-current.pem"]), "the kubelet's certificate"));
        const preIssued = new X509Certificate(kubeconfigParts(readFileSync(join(etc, "kubeadm/discovery.conf"), "utf8")).cert);
        expect(issued.serialNumber).not.toBe(preIssued.serialNumber);
        expect(issued.verify(new X509Certificate(etcFile("pki/ca.crt")).publicKey)).toBe(true);
        const csrs = JSON.parse(ok(c.kubectl("/etc/kubernetes/super-admin.conf", "get", "csr", "-o", "json"), "get csr")).items as any[];
        const csr = csrs.find((x) => x.spec.username === `system:node:${LATE}`);
        expect(csr?.spec.signerName).toBe("kubernetes.io/kube-apiserver-client-kubelet");
        expect(csr?.status.conditions?.[0]).toMatchObject({ type: "Approved", reason: "AutoApproved" });
      } finally {
        later.dispose();
      }
    }, 300_000);

    it("a second run finds nothing due and changes nothing", () => {
      const files = KUBECONFIGS.map(etcFile);
      const r = renew();
      expect(r.status, r.out).toBe(0);
      expect(status()).toMatchObject({ state: "ok", step: "check" });
      expect(status().message).toMatch(/^nothing expires within 30 days; the next expiry: \S+ on \d{4}-\d\d-\d\d$/);
      expect(KUBECONFIGS.map(etcFile)).toEqual(files);
      expect(ok(renewer.run("ls", ["/var/lib/kubeseed/renewal-backup"]), "ls").trim().split("\n")).toHaveLength(1);
    }, 120_000);
  },
);

