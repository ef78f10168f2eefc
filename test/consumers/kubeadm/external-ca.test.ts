/**
 * kubeadm's external-CA mode with the generated files of profiles/external-ca.yaml (v1.34.10): the init
 * node's /etc/kubernetes holds the three CA certificates and no CA key, every leaf, the sa pair and
 * every kubeconfig (support/node-ns.ts mounts it in place).
 * - `kubeadm init phase certs all` recognises the keyless CAs ("keyless certificate authority"), uses
 *   every leaf and the sa pair, and changes no file;
 * - `kubeadm init phase kubeconfig all` takes every kubeconfig as user provided (External CA mode);
 * - the control plane runs from kubeadm's own manifests (support/control-plane.ts), the
 *   controller-manager without a signing key (kubeadm passes empty --cluster-signing-* flags), and the
 *   generated kubeconfigs work against it;
 * - a joining control plane's control-plane-prepare certs and kubeconfig phases keep its files, again
 *   without any CA key on it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleProfile } from "../../helpers/generate.js";
import { Daemons, waitFor, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";
import { startControlPlane, type ControlPlane } from "./support/control-plane.js";
import { NodeNamespace } from "./support/node-ns.js";
import { fingerprint, flagMap, KUBEADM_CONFIG, manifestCommand, stageEtcKubernetes, writeOutput, type Output } from "./support/output.js";
import { said } from "./support/said.js";
import { MACHINE_CHECKS, SHARED_HOST_CHECKS } from "./support/preflight.js";

const LEAVES = ["apiserver", "apiserver-kubelet-client", "front-proxy-client", "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client"];
const CA_KEYS = ["ca.key", "front-proxy-ca.key", "etcd/ca.key"];

describeWithKubeBins(
  "kubeadm's external-CA mode with the generated files (external-ca, v1.34.10)",
  { kubeadm: [KUBE_134, "kubeadm"], apiserver: [KUBE_134, "kube-apiserver"], controllerManager: [KUBE_134, "kube-controller-manager"] },
  (bins) => {
    const daemons = new Daemons();
    let o: Output;
    let etc = "";
    let ns: NodeNamespace;
    let before: Record<string, string> = {};
    const ok = (r: Ran, what: string) => {
      expect(r.status, `${what}:\n${r.out}`).toBe(0);
      return r;
    };

    beforeAll(async () => {
      o = await writeOutput(exampleProfile("external-ca"), "ks-kubeadm-extca-");
      const init = o.node("init");
      const scratch = o.scratch(`${init.name}-phases`);
      etc = stageEtcKubernetes(init, join(scratch, "etc-kubernetes"));
      ns = await NodeNamespace.create(daemons, { name: `${init.name}-phases`, scratch, etcKubernetes: etc, hosts: join(init.root, "etc/hosts") });
      before = fingerprint(etc);
    }, 60_000);

    afterAll(async () => {
      await daemons.stopAll();
      o?.dispose();
    });

    it("no node holds a CA key; every control plane holds the CA certificates", () => {
      for (const n of o.nodes) for (const key of CA_KEYS) expect(Object.keys(fingerprint(join(n.root, "etc/kubernetes"))), n.name).not.toContain(`pki/${key}`);
      expect(Object.keys(before)).toEqual(expect.arrayContaining(["pki/ca.crt", "pki/front-proxy-ca.crt", "pki/etcd/ca.crt", "pki/sa.key", "pki/sa.pub"]));
    });

    it("kubeadm init phase certs all: keyless CAs recognised, every file used, nothing changed", () => {
      const r = ok(ns.run(bins.kubeadm, ["init", "phase", "certs", "all", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), "certs all");
      const lines = said(r, "[certs]");
      for (const ca of ["ca", "front-proxy-ca", "etcd/ca"]) expect(lines, r.out).toContain(`Using existing ${ca} keyless certificate authority`);
      for (const leaf of LEAVES) expect(lines, r.out).toContain(`Using existing ${leaf} certificate and key on disk`);
      expect(lines).toContain("Using existing sa keys");
      expect(lines.filter((l) => /^Generating/.test(l))).toEqual([]);
      expect(fingerprint(etc)).toEqual(before);
    });

    it("kubeadm init phase kubeconfig all: every kubeconfig is taken as user provided", () => {
      const r = ok(ns.run(bins.kubeadm, ["init", "phase", "kubeconfig", "all", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), "kubeconfig all");
      for (const f of ["admin.conf", "super-admin.conf", "kubelet.conf", "controller-manager.conf", "scheduler.conf"]) {
        expect(said(r, "[kubeconfig]"), r.out).toContain(`External CA mode: Using user provided ${f}`);
      }
      expect(fingerprint(etc)).toEqual(before);
    });

    let c: ControlPlane;
    it("the control plane runs; the controller-manager gets no signing key; the generated kubeconfigs work", async () => {
      c = await startControlPlane(daemons, o, bins);
      const cm = flagMap(manifestCommand(join(c.etc, "manifests/kube-controller-manager.yaml")).slice(1));
      expect(cm.get("cluster-signing-cert-file")).toBe("");
      expect(cm.get("cluster-signing-key-file")).toBe("");
      const who = JSON.parse(ok(c.kubectl(join(o.out, "kubeconfigs/admin.conf"), "auth", "whoami", "-o", "json"), "whoami").stdout);
      expect(who.status.userInfo.username).toBe("kubernetes-admin");
      const kubelet = JSON.parse(ok(c.kubectl("/etc/kubernetes/kubelet.conf", "auth", "whoami", "-o", "json"), "kubelet whoami").stdout);
      expect(kubelet.status.userInfo.username).toBe(`system:node:${o.node("init").name}`);
      expect(daemons.exited()).toEqual([]);
    }, 180_000);

    it("kubeadm uploads the config and creates the bootstrap token; the controller-manager signs cluster-info without the CA key", async () => {
      ok(c.ns.run(bins.kubeadm, ["init", "phase", "upload-config", "all", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), "upload-config");
      ok(c.ns.run(bins.kubeadm, ["init", "phase", "bootstrap-token", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), "bootstrap-token");
      const [id] = String(o.node("init").doc("InitConfiguration").bootstrapTokens[0].token).split(".");
      let last: Ran | undefined;
      await waitFor(
        "cluster-info signed for the token",
        () => {
          last = c.kubectl(join(o.out, "kubeconfigs/super-admin.conf"), "get", "cm", "-n", "kube-public", "cluster-info", "-o", "json");
          return last.status === 0 && JSON.parse(last.stdout).data?.[`jws-kubeconfig-${id}`] ? true : undefined;
        },
        60_000,
        () => `${last?.out}\n${daemons.log("kube-controller-manager").slice(-2000)}`,
      );
    }, 120_000);

    /** a joining node in its own mount namespace on the control plane's network, and the preflight checks its bootstrap ignores */
    async function joining(kind: "control-plane-join" | "worker-join") {
      const node = o.node(kind);
      const scratch = o.scratch(node.name);
      const etc = stageEtcKubernetes(node, join(scratch, "etc-kubernetes"));
      const ns = await NodeNamespace.create(daemons, { name: node.name, scratch, etcKubernetes: etc, hosts: join(node.root, "etc/hosts"), network: c.ns });
      const generated = /^IGNORE_PREFLIGHT_ERRORS='([^']*)'$/m.exec(readFileSync(join(node.root, "usr/local/sbin/kubeseed-bootstrap"), "utf8"))![1];
      return { node, etc, ns, before: fingerprint(etc), generated };
    }

    it("a joining control plane: control-plane-prepare certs and kubeconfig keep its files without any CA key", async () => {
      const { etc: jetc, ns: j, before: jbefore, generated } = await joining("control-plane-join");
      for (const key of CA_KEYS) expect(Object.keys(jbefore)).not.toContain(`pki/${key}`);
      // preflight with exactly the checks its generated bootstrap ignores (its pre-issued kubelet.conf):
      // discovery, and the shared-certificate check, which accepts keyless CAs ("assuming external key")
      expect(generated).toBe("FileAvailable--etc-kubernetes-kubelet.conf");
      const pre = j.run(bins.kubeadm, ["join", "phase", "preflight", "--config", KUBEADM_CONFIG, `--ignore-preflight-errors=${[generated, ...MACHINE_CHECKS, ...SHARED_HOST_CHECKS].join(",")}`, "--v=1"], { timeoutMs: 90_000 });
      expect(pre.stdout, pre.out).toMatch(/Running pre-flight checks before initializing the new control plane instance/);
      expect(pre.out).toMatch(/assuming external key for CA/);
      expect(pre.out).not.toMatch(/\[ERROR /);
      // the last check pulls images through a container runtime this machine does not have
      if (pre.status !== 0) expect(pre.stderr).toMatch(/failed to create new CRI runtime service/);
      const certs = ok(j.run(bins.kubeadm, ["join", "phase", "control-plane-prepare", "certs", "--config", KUBEADM_CONFIG], { timeoutMs: 90_000 }), "control-plane-prepare certs");
      expect(certs.out).not.toMatch(/Generating/);
      const kubeconfigs = ok(j.run(bins.kubeadm, ["join", "phase", "control-plane-prepare", "kubeconfig", "--config", KUBEADM_CONFIG], { timeoutMs: 90_000 }), "control-plane-prepare kubeconfig");
      for (const f of ["admin.conf", "controller-manager.conf", "scheduler.conf"]) expect(said(kubeconfigs, "[kubeconfig]"), kubeconfigs.out).toContain(`External CA mode: Using user provided ${f}`);
      expect(fingerprint(jetc)).toEqual(jbefore);
    }, 180_000);

    it("a worker with its pre-issued kubelet.conf and ca.crt passes join preflight with exactly the checks its bootstrap ignores", async () => {
      const { node, etc: wetc, ns: w, before: wbefore, generated } = await joining("worker-join");
      expect(Object.keys(wbefore)).toEqual(expect.arrayContaining(["kubelet.conf", "pki/ca.crt"]));
      const r = ok(w.run(bins.kubeadm, ["join", "phase", "preflight", "--config", KUBEADM_CONFIG, `--ignore-preflight-errors=${[generated, ...MACHINE_CHECKS].join(",")}`, "--v=1"], { timeoutMs: 90_000 }), "worker preflight");
      expect(r.out).toMatch(/\[WARNING FileAvailable--etc-kubernetes-kubelet\.conf\]/);
      expect(r.out).toMatch(/\[WARNING FileAvailable--etc-kubernetes-pki-ca\.crt\]/);
      const who = JSON.parse(ok(c.kubectl(join(wetc, "kubelet.conf"), "auth", "whoami", "-o", "json"), "worker kubelet whoami").stdout);
      expect(who.status.userInfo).toMatchObject({ username: `system:node:${node.name}`, groups: expect.arrayContaining(["system:nodes"]) });
      expect(fingerprint(wetc)).toEqual(wbefore);
    }, 180_000);
  },
);
