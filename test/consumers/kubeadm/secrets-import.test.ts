/**
 * `gen secrets import --from-pki DIR` on a PKI directory the real kubeadm made (`kubeadm init phase
 * certs all --cert-dir DIR`, RSA-2048 as kubeadm's default), through the real CLI:
 * - the secrets file holds kubeadm's three CAs and sa pair byte for byte; `gen` then issues every leaf
 *   from them: the prod output's CA certificates are kubeadm's, its apiserver certificate verifies
 *   against kubeadm's ca.crt with the real openssl, and its sa.pub is kubeadm's;
 * - without ca.key the import keeps the CA keyless and says so; `gen` then refuses, naming the
 *   certificates it cannot issue — for prod and for external-CA mode alike;
 * - a broken directory reports every problem at its file (not a CA, a key of another CA, an sa pair that
 *   does not match, a missing file), and an existing secrets file is never replaced.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { gen, preIssuedProd, scratchDir } from "../../cli/support.js";
import { run } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";

describeWithKubeBins("gen secrets import of a PKI the real kubeadm made (v1.34.10)", { kubeadm: [KUBE_134, "kubeadm"] }, (bins) => {
  let work = "";
  let pki = "";

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "ks-import-"));
    pki = join(work, "pki");
    const r = run(bins.kubeadm, ["init", "phase", "certs", "all", "--cert-dir", pki, "--kubernetes-version", KUBE_134], { timeoutMs: 60_000 });
    if (r.status !== 0) throw new Error(r.out);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** a copy of kubeadm's directory, changed by `edit` */
  const variant = (edit: (dir: string) => void) => {
    const dir = mkdtempSync(join(work, "v-"));
    cpSync(pki, dir, { recursive: true });
    edit(dir);
    return dir;
  };

  it("imports kubeadm's CAs and sa pair; gen issues every leaf from them", () => {
    const dir = scratchDir();
    preIssuedProd(dir);
    const r = gen(dir, "secrets", "import", "--from-pki", pki, "--profile", "prod");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote secrets\/prod\.yaml: CAs kubernetes, etcd, front-proxy, the service-account key pair/);
    const s = parse(readFileSync(join(dir, "secrets/prod.yaml"), "utf8"));
    expect(s.cas.kubernetes).toEqual({ cert: readFileSync(join(pki, "ca.crt"), "utf8"), key: readFileSync(join(pki, "ca.key"), "utf8") });
    expect(s.cas["front-proxy"].cert).toBe(readFileSync(join(pki, "front-proxy-ca.crt"), "utf8"));
    expect(s.cas.etcd.cert).toBe(readFileSync(join(pki, "etcd/ca.crt"), "utf8"));
    expect(s.serviceAccount).toEqual({ key: readFileSync(join(pki, "sa.key"), "utf8"), pub: readFileSync(join(pki, "sa.pub"), "utf8") });
    expect(s.certs).toEqual({});
    const g = gen(dir, "--profile", "prod");
    expect(g.status, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/the kubernetes CA keeps its rsa-2048 key although keyAlgorithm is ecdsa-p256/);
    const out = join(dir, "output/prod");
    expect(readFileSync(join(out, "pki/ca.crt"), "utf8")).toBe(readFileSync(join(pki, "ca.crt"), "utf8"));
    expect(readFileSync(join(out, "pki/sa.pub"), "utf8")).toBe(readFileSync(join(pki, "sa.pub"), "utf8"));
    const v = run("openssl", ["verify", "-CAfile", join(pki, "ca.crt"), join(out, "nodes/kube-cp-1/files/etc/kubernetes/pki/apiserver.crt")]);
    expect(v.status, v.out).toBe(0);
    const e = run("openssl", ["verify", "-CAfile", join(pki, "etcd/ca.crt"), join(out, "nodes/kube-cp-2/files/etc/kubernetes/pki/etcd/peer.crt")]);
    expect(e.status, e.out).toBe(0);
    // an existing secrets file is never replaced
    const again = gen(dir, "secrets", "import", "--from-pki", pki, "--profile", "prod");
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/secrets\/prod\.yaml already exists; an import never replaces a secrets file/);
  }, 120_000);

  it.each(["prod", "external-ca"])("without ca.key the CA stays keyless and %s's gen names every certificate it cannot issue", (profile) => {
    const dir = scratchDir();
    if (profile === "prod") preIssuedProd(dir);
    const keyless = variant((d) => rmSync(join(d, "ca.key")));
    const r = gen(dir, "secrets", "import", "--from-pki", keyless, "--profile", profile);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/without a key: kubernetes/);
    expect(r.stderr).toMatch(/warning: imported without a private key: kubernetes/);
    expect(parse(readFileSync(join(dir, `secrets/${profile}.yaml`), "utf8")).cas.kubernetes.key).toBeUndefined();
    const g = gen(dir, "--profile", profile);
    expect(g.status).toBe(1);
    expect(g.stderr).toMatch(/error\[cas\.kubernetes\.key\]: the kubernetes CA in the secrets file has no private key \(imported without it\); kubeseed cannot issue "cluster\/admin", "cluster\/super-admin", "node\/kube-cp-1\/apiserver"/);
    expect(g.stderr).toMatch(/"node\/kube-cp-1\/apiserver"/);
    expect(existsSync(join(dir, `output/${profile}`))).toBe(false);
  }, 120_000);

  it("reports every problem of a broken directory at its file, and writes nothing", () => {
    const dir = scratchDir();
    const broken = variant((d) => {
      cpSync(join(d, "apiserver.crt"), join(d, "ca.crt"));
      cpSync(join(d, "ca.key"), join(d, "front-proxy-ca.key"));
      writeFileSync(join(d, "sa.pub"), readFileSync(join(d, "apiserver.crt"), "utf8"));
      rmSync(join(d, "sa.key"));
    });
    const r = gen(dir, "secrets", "import", "--from-pki", broken, "--profile", "prod");
    expect(r.status).toBe(1);
    const located = [...r.stderr.matchAll(/--> (\S+):1:1/g)].map((m) => m[1].split("/").slice(-1)[0]).sort();
    expect(located).toEqual(["ca.crt", "ca.key", "front-proxy-ca.key", "sa.key"]);
    expect(r.stderr).toMatch(/ca\.crt is not a CA certificate/);
    expect(r.stderr).toMatch(/ca\.key is not the private key of ca\.crt/);
    expect(r.stderr).toMatch(/front-proxy-ca\.key is not the private key of front-proxy-ca\.crt/);
    expect(r.stderr).toMatch(/sa\.key is missing/);
    expect(r.stderr).not.toMatch(/BEGIN|PRIVATE KEY-----/);
    expect(existsSync(join(dir, "secrets/prod.yaml"))).toBe(false);
  }, 60_000);
});
