/**
 * Every issued certificate checked by the real openssl: chain to its own CA with the right purpose,
 * refusal against another CA, SANs by -checkhost/-checkip, every key matching its certificate, and
 * the discovery hash recomputed with kubeadm's documented openssl pipeline.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CaId } from "../../generator/plan/types.js";
import { artifact } from "../helpers/generate.js";
import { makeCluster, run, type Cluster } from "./support.js";

const ALGORITHMS = ["ecdsa-p256", "rsa-2048"] as const;
const clusters = new Map<string, { c: Cluster; dir: string }>();

beforeAll(async () => {
  for (const alg of ALGORITHMS) {
    const c = await makeCluster({ pki: { keyAlgorithm: alg } });
    const dir = mkdtempSync(join(tmpdir(), "ks-openssl-"));
    const s = c.g.issue.secrets;
    for (const [ca, pair] of Object.entries(s.cas)) writeFileSync(join(dir, `ca-${ca}.crt`), pair.cert);
    for (const [id, cert] of Object.entries(s.certs)) {
      writeFileSync(join(dir, `${id.replaceAll("/", "_")}.crt`), cert.cert);
      writeFileSync(join(dir, `${id.replaceAll("/", "_")}.key`), cert.key);
    }
    clusters.set(alg, { c, dir });
  }
}, 120_000);

const file = (dir: string, id: string, ext: string) => join(dir, `${id.replaceAll("/", "_")}.${ext}`);
const purposes = { serverAuth: "sslserver", clientAuth: "sslclient" } as const;

describe.each(ALGORITHMS)("openssl with %s keys", (alg) => {
  it("verifies every leaf against its own CA for each of its purposes", () => {
    const { c, dir } = clusters.get(alg)!;
    for (const req of c.g.plan.certs) {
      for (const eku of req.extKeyUsages) {
        const r = run("openssl", ["verify", "-CAfile", join(dir, `ca-${req.signer}.crt`), "-purpose", purposes[eku], file(dir, req.id, "crt")]);
        expect(r.status, `${req.id} ${eku}: ${r.out}`).toBe(0);
        expect(r.out).toMatch(/: OK/);
      }
    }
  });

  it("refuses every leaf against the other CAs", () => {
    const { c, dir } = clusters.get(alg)!;
    const cas: CaId[] = ["kubernetes", "etcd", "front-proxy"];
    for (const req of c.g.plan.certs.filter((_, i) => i % 3 === 0)) {
      for (const other of cas.filter((x) => x !== req.signer)) {
        const r = run("openssl", ["verify", "-CAfile", join(dir, `ca-${other}.crt`), file(dir, req.id, "crt")]);
        expect(r.status, `${req.id} against ${other}`).not.toBe(0);
      }
    }
  });

  it("has a private key that matches each certificate", () => {
    const { c, dir } = clusters.get(alg)!;
    for (const req of c.g.plan.certs.filter((_, i) => i % 2 === 0)) {
      const fromKey = run("openssl", ["pkey", "-in", file(dir, req.id, "key"), "-pubout"]).out;
      const fromCert = run("openssl", ["x509", "-in", file(dir, req.id, "crt"), "-noout", "-pubkey"]).out;
      expect(fromKey, req.id).toMatch(/BEGIN PUBLIC KEY/);
      expect(fromKey, req.id).toBe(fromCert);
    }
  });

  it("passes -checkhost/-checkip for every name the apiserver and etcd certs must carry", () => {
    const { dir } = clusters.get(alg)!;
    const checks: [string, string, string][] = [
      ["node/cp-1/apiserver", "-checkhost", "cp-1"],
      ["node/cp-1/apiserver", "-checkhost", "kubernetes.default.svc.cluster.local"],
      ["node/cp-1/apiserver", "-checkhost", "api.test.internal"],
      ["node/cp-1/apiserver", "-checkip", "10.96.0.1"],
      ["node/cp-1/apiserver", "-checkip", "192.168.1.11"],
      ["node/cp-1/apiserver", "-checkip", "192.168.1.5"],
      ["node/cp-2/etcd-server", "-checkhost", "cp-2"],
      ["node/cp-2/etcd-server", "-checkhost", "localhost"],
      ["node/cp-2/etcd-server", "-checkip", "192.168.1.12"],
      ["node/cp-2/etcd-peer", "-checkip", "127.0.0.1"],
    ];
    for (const [id, flag, value] of checks) {
      const r = run("openssl", ["x509", "-in", file(dir, id, "crt"), "-noout", flag, value]);
      expect(r.out, `${id} ${value}`).toMatch(/does match certificate/);
    }
    const other = run("openssl", ["x509", "-in", file(dir, "node/cp-1/apiserver", "crt"), "-noout", "-checkip", "192.168.1.12"]);
    expect(other.out).toMatch(/does NOT match certificate/);
  });

  it("computes the discovery hash of join-info.yaml with kubeadm's openssl pipeline", () => {
    const { c, dir } = clusters.get(alg)!;
    const pub = run("openssl", ["x509", "-in", join(dir, "ca-kubernetes.crt"), "-noout", "-pubkey"]).out;
    const der = run("sh", ["-c", "openssl pkey -pubin -outform DER | sha256sum"], { input: pub }).out.split(" ")[0];
    expect(parse(artifact(c.g, "join-info.yaml")).caCertHashes).toEqual([`sha256:${der}`]);
  });
});
