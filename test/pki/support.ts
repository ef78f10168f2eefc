/**
 * Shared test material for test/pki: a fixed clock, a seeded RandomSource, hand-made CertRequests,
 * the requests behind the frozen fixture test/fixtures/secrets-v1.yaml, and certificate parsing helpers.
 */
import { createHash, X509Certificate as NodeX509 } from "node:crypto";
import { fixedClock, type Clock, type RandomSource } from "../../generator/core/clock.js";
import type { IssueDeps, IssueOptions } from "../../generator/pki/issue.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import * as x509 from "../helpers/x509.js";
import type { CertRequest } from "../../generator/plan/types.js";
import type { KeyAlgorithm } from "../../generator/profile/schema.js";

export const NOW = "2025-03-01T12:00:00.000Z";
export const HOUR = 3600 * 1000;

/** Deterministic bytes: SHA-256 of (seed, counter) blocks. Not for real keys (keys come from WebCrypto). */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return {
    bytes(n) {
      while (pool.length < n) pool = Buffer.concat([pool, createHash("sha256").update(`${seed}:${counter++}`).digest()]);
      const out = new Uint8Array(pool.subarray(0, n));
      pool = pool.subarray(n);
      return out;
    },
  };
}

export function deps(clock: Clock = fixedClock(NOW), seed = "kubeseed-test"): IssueDeps {
  return { clock, random: seededRandom(seed), keys: defaultKeyFactory };
}

export function options(keyAlgorithm: KeyAlgorithm = "ecdsa-p256", extra: Partial<IssueOptions> = {}): IssueOptions {
  return { cluster: "test", keyAlgorithm, caValidityHours: 87600, certValidityHours: 8760, ...extra };
}

export function request(id: string, over: Partial<CertRequest> = {}): CertRequest {
  return {
    id,
    profile: "test",
    signer: "kubernetes",
    commonName: id.split("/").pop()!,
    organizations: [],
    extKeyUsages: ["clientAuth"],
    dnsNames: [],
    ipAddresses: [],
    ...over,
  };
}

/** The hand-made table of leaf requests: server with DNS+IP SANs, client with O, dual-use etcd, front-proxy. */
export const LEAF_REQUESTS: CertRequest[] = [
  request("node/cp-1/apiserver", {
    profile: "apiserver",
    commonName: "kube-apiserver",
    extKeyUsages: ["serverAuth"],
    dnsNames: ["cp-1", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
    ipAddresses: ["10.96.0.1", "192.168.1.11"],
  }),
  request("node/cp-1/kubelet.conf", { profile: "kubelet", commonName: "system:node:cp-1", organizations: ["system:nodes"] }),
  request("operator/alice", { profile: "user", commonName: "alice", organizations: ["dev", "kubeadm:cluster-admins"] }),
  request("node/cp-1/etcd-server", {
    profile: "etcd-server",
    signer: "etcd",
    commonName: "cp-1",
    extKeyUsages: ["serverAuth", "clientAuth"],
    dnsNames: ["cp-1", "localhost"],
    ipAddresses: ["192.168.1.11", "127.0.0.1", "::1"],
  }),
  request("node/cp-1/front-proxy-client", { profile: "front-proxy-client", signer: "front-proxy", commonName: "front-proxy-client" }),
];

/** Requests behind test/fixtures/secrets-v1.yaml (see fixture-gen.ts); never change them. */
export const FIXTURE_REQUESTS: CertRequest[] = [LEAF_REQUESTS[0], LEAF_REQUESTS[1], LEAF_REQUESTS[3]];
export const FIXTURE_NOW = "2025-01-01T00:00:00.000Z";
export const FIXTURE_SEED = "secrets-v1-fixture";

export function parsed(pem: string): x509.X509Certificate {
  return new x509.X509Certificate(pem);
}

export function nodeCert(pem: string): NodeX509 {
  return new NodeX509(pem);
}

/** Subject/issuer as [type, value] pairs in RDN order, one pair per RDN. */
export function rdns(name: x509.Name): [string, string][] {
  return name.toJSON().map((rdn) => {
    const [k, v] = Object.entries(rdn)[0];
    return [k, v[0]];
  });
}

export function keyUsageNames(cert: x509.X509Certificate): { names: string[]; critical: boolean } | undefined {
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (!ku) return undefined;
  const names = Object.entries(x509.KeyUsageFlags)
    .filter(([k, v]) => typeof v === "number" && Number.isNaN(Number(k)) && (ku.usages & v) !== 0)
    .map(([k]) => k)
    .sort();
  return { names, critical: ku.critical };
}

export function sans(cert: x509.X509Certificate): { type: string; value: string }[] | undefined {
  return cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON().map((n) => ({ type: n.type, value: n.value }));
}
