/**
 * CA rotation step 1 ("trust both", pki/rotation.ts) with the real kubeadm v1.34.10, kube-apiserver,
 * kube-controller-manager and etcd: the prod profile generated, a rotation started (a new cluster CA),
 * generated again, and the control plane started from that second output as support/control-plane.ts
 * starts it (kubeadm's own manifests for the node's config, TLS verified everywhere). Proven:
 * - kubeadm's certs phase takes ca.crt as the bundle of both CAs with ca.key of the current one and
 *   keeps every file;
 * - kube-controller-manager signs with the single-certificate ca-signer.crt (the flag comes from the
 *   generated ClusterConfiguration) and issues a CSR's certificate from the current CA;
 * - kube-apiserver accepts client certificates of both CAs: the generated admin.conf (current CA) and
 *   one signed by the new CA with openssl;
 * - a worker's JoinConfiguration pinned to both CA hashes passes token discovery.
 */
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fixedClock, systemRandom } from "../../../generator/core/clock.js";
import { generateCluster } from "../../../generator/bundle/generate.js";
import { defaultKeyFactory } from "../../../generator/pki/keys.js";
import { startRotation, type Rotation } from "../../../generator/pki/rotation.js";
import { renderKubeconfig } from "../../../generator/render/kubeconfig.js";
import { exampleProfile, preIssued } from "../../helpers/generate.js";
import { Daemons, run, waitFor, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";
import { startControlPlane, type ControlPlane } from "./support/control-plane.js";
import { NodeNamespace } from "./support/node-ns.js";
import { fingerprint, flagMap, KUBEADM_CONFIG, manifestCommand, stageEtcKubernetes, writeOutput, type Output } from "./support/output.js";
import { CERTS_USED, said } from "./support/said.js";
import { MACHINE_CHECKS } from "./support/preflight.js";

describeWithKubeBins(
  "CA rotation step 1 on a control plane (prod, v1.34.10)",
  { kubeadm: [KUBE_134, "kubeadm"], apiserver: [KUBE_134, "kube-apiserver"], controllerManager: [KUBE_134, "kube-controller-manager"] },
  (bins) => {
    const daemons = new Daemons();
    let o: Output;
    let c: ControlPlane;
    let rotation: Rotation;
    const ok = (r: Ran, what: string) => {
      expect(r.status, `${what}:\n${r.out}`).toBe(0);
      return r.stdout;
    };
    const pki = (f: string) => readFileSync(join(c.etc, "pki", f), "utf8");
    const admin = () => join(o.out, "kubeconfigs/super-admin.conf");

    beforeAll(async () => {
      const profile = preIssued(exampleProfile("prod"));
      const deps = { clock: fixedClock(new Date().toISOString()), random: systemRandom, keys: defaultKeyFactory };
      const first = await generateCluster(profile, undefined, deps);
      rotation = await startRotation(first.issue.secrets, { keyAlgorithm: "ecdsa-p256", caValidityHours: 87600 }, deps);
      o = await writeOutput(profile, "ks-rotate-ca-", { prior: first.issue.secrets, rotation });
      c = await startControlPlane(daemons, o, bins);
    }, 240_000);

    afterAll(async () => {
      await daemons.stopAll();
      o?.dispose();
    });

    it("kubeadm's certs phase uses the bundle ca.crt (current CA first) with the current ca.key and changes nothing", () => {
      const certs = pki("ca.crt").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
      expect(certs).toEqual([o.g.issue.secrets.cas.kubernetes.cert, rotation.next.cert]);
      expect(pki("ca-signer.crt")).toBe(o.g.issue.secrets.cas.kubernetes.cert);
      const before = fingerprint(c.etc);
      const r = c.ns.run(bins.kubeadm, ["init", "phase", "certs", "all", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 });
      ok(r, "init phase certs all");
      expect(said(r, "[certs]")).toEqual(CERTS_USED);
      expect(fingerprint(c.etc)).toEqual(before);
    });

    it("kube-controller-manager signs with ca-signer.crt: a CSR's certificate comes from the current CA", async () => {
      const cm = flagMap(manifestCommand(join(c.etc, "manifests/kube-controller-manager.yaml")).slice(1));
      expect(cm.get("cluster-signing-cert-file")).toBe("/etc/kubernetes/pki/ca-signer.crt");
      const dir = mkdtempSync(join(tmpdir(), "ks-rotate-csr-"));
      ok(run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "r.csr"), "-subj", "/CN=rotation-probe"]), "openssl req");
      const csr = { apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "rotation-probe" }, spec: { request: readFileSync(join(dir, "r.csr")).toString("base64"), signerName: "kubernetes.io/kube-apiserver-client", usages: ["client auth"] } };
      writeFileSync(join(dir, "csr.json"), JSON.stringify(csr));
      ok(c.kubectl(admin(), "create", "-f", join(dir, "csr.json")), "create csr");
      ok(c.kubectl(admin(), "certificate", "approve", "rotation-probe"), "approve");
      let last: Ran | undefined;
      const issued = await waitFor(
        "the CSR's certificate",
        () => {
          if (daemons.exited().length) throw new Error(daemons.exited().join("\n"));
          last = c.kubectl(admin(), "get", "csr", "rotation-probe", "-o", "jsonpath={.status.certificate}");
          return last.status === 0 && last.stdout ? last.stdout : undefined;
        },
        60_000,
        () => `${last?.out}\n${daemons.log("kube-controller-manager").slice(-3000)}`,
      );
      const cert = new X509Certificate(Buffer.from(issued, "base64").toString());
      expect(cert.verify(new X509Certificate(o.g.issue.secrets.cas.kubernetes.cert).publicKey)).toBe(true);
      expect(cert.verify(new X509Certificate(rotation.next.cert).publicKey)).toBe(false);
    }, 120_000);

    it("kube-apiserver accepts client certificates of both CAs", () => {
      const who = (kubeconfig: string) => JSON.parse(ok(c.kubectl(kubeconfig, "auth", "whoami", "-o", "json"), `whoami ${kubeconfig}`)).status.userInfo;
      expect(who(admin()).username).toBe("kubernetes-super-admin");
      // a client certificate from the new CA, made with openssl, in a kubeconfig that trusts the bundle
      const dir = mkdtempSync(join(tmpdir(), "ks-rotate-new-"));
      writeFileSync(join(dir, "ca.crt"), rotation.next.cert);
      writeFileSync(join(dir, "ca.key"), rotation.next.key, { mode: 0o600 });
      ok(run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "r.csr"), "-subj", "/O=system:masters/CN=signed-by-the-new-ca"]), "openssl req");
      writeFileSync(join(dir, "ext"), "extendedKeyUsage=clientAuth\n");
      ok(run("openssl", ["x509", "-req", "-in", join(dir, "r.csr"), "-CA", join(dir, "ca.crt"), "-CAkey", join(dir, "ca.key"), "-CAcreateserial", "-days", "1", "-extfile", join(dir, "ext"), "-out", join(dir, "c.pem")]), "openssl x509 -req");
      const server = `https://${c.endpoint.host}:${c.endpoint.port}`;
      const kubeconfig = renderKubeconfig({ clusterName: "kubernetes", server, caCertPem: pki("ca.crt"), userName: "new", clientCertPem: readFileSync(join(dir, "c.pem"), "utf8"), clientKeyPem: readFileSync(join(dir, "k.pem"), "utf8") });
      writeFileSync(join(dir, "new.conf"), kubeconfig, { mode: 0o600 });
      expect(who(join(dir, "new.conf"))).toMatchObject({ username: "signed-by-the-new-ca", groups: expect.arrayContaining(["system:masters"]) });
    });

    it("a worker pinned to both CA hashes passes token discovery", async () => {
      for (const phase of [["upload-config", "all"], ["bootstrap-token"]]) ok(c.ns.run(bins.kubeadm, ["init", "phase", ...phase, "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), phase.join(" "));
      const worker = o.node("worker-join");
      expect(worker.doc("JoinConfiguration").discovery.bootstrapToken.caCertHashes).toHaveLength(2);
      const scratch = o.scratch(worker.name);
      const ns = await NodeNamespace.create(daemons, { name: worker.name, scratch, etcKubernetes: stageEtcKubernetes(worker, join(scratch, "etc-kubernetes")), hosts: join(worker.root, "etc/hosts"), network: c.ns });
      let r: Ran | undefined;
      await waitFor(
        "discovery with the bundle's hashes",
        () => {
          r = ns.run(bins.kubeadm, ["join", "phase", "preflight", "--config", KUBEADM_CONFIG, `--ignore-preflight-errors=${MACHINE_CHECKS.join(",")}`, "--v=1"], { timeoutMs: 120_000 });
          return r.status === 0 ? true : undefined;
        },
        150_000,
        () => r?.out ?? "",
        5_000,
      );
      expect(r!.out).toMatch(/TLS certificate validates against pinned roots/);
    }, 200_000);
  },
);
