/**
 * The written PKI checked by the real openssl, for ECDSA-P256 and RSA-2048 clusters (3 cp + 2 workers):
 * every leaf file of every node tree chains to the CA its issuer names, with exactly the purposes
 * kubeadm gives it (docs/sources.md#pki-certificate-set) and is refused by the other CAs and by a same-named CA of
 * another cluster; the apiserver and etcd certs pass -checkhost/-checkip for every required name and
 * fail for another node's; every private key loads and matches its certificate or public key; every
 * kubeconfig's client certificate is a client cert of the cluster CA with kubeadm's CN and O; and the
 * discovery hash in join-info.yaml equals kubeadm's documented openssl pipeline.
 * Expectations come from the reference tables written here, not from the generator's own tables.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ADDRESS, CONTROL_PLANES, ENDPOINT_DNS, VIP, WORKERS, writeCluster, type WrittenCluster } from "./support/cluster.js";
import { run } from "./support/proc.js";
import { certPublicKey, certText, issuerOf, keyDescription, keyPublicKey, publicKeyFile, readKubeconfig, subjectOf } from "./support/x509.js";

type Purpose = "sslserver" | "sslclient";

/** CA certificate files of a control-plane node, by the CA's CN (the issuer a leaf names) */
const CA_FILES: Record<string, string> = { kubernetes: "pki/ca.crt", "front-proxy-ca": "pki/front-proxy-ca.crt", "etcd-ca": "pki/etcd/ca.crt" };

interface Leaf {
  issuer: keyof typeof CA_FILES;
  purposes: Purpose[];
  cn: (node: string) => string;
  /** expected O, when the reference fixes it for v1.31 */
  o?: string[];
}

/** docs/sources.md#pki-certificate-set, Kubernetes v1.31 */
const LEAVES: Record<string, Leaf> = {
  "pki/apiserver.crt": { issuer: "kubernetes", purposes: ["sslserver"], cn: () => "kube-apiserver", o: [] },
  "pki/apiserver-kubelet-client.crt": { issuer: "kubernetes", purposes: ["sslclient"], cn: () => "kube-apiserver-kubelet-client" },
  "pki/front-proxy-client.crt": { issuer: "front-proxy-ca", purposes: ["sslclient"], cn: () => "front-proxy-client", o: [] },
  "pki/etcd/server.crt": { issuer: "etcd-ca", purposes: ["sslserver", "sslclient"], cn: (n) => n, o: [] },
  "pki/etcd/peer.crt": { issuer: "etcd-ca", purposes: ["sslserver", "sslclient"], cn: (n) => n, o: [] },
  "pki/etcd/healthcheck-client.crt": { issuer: "etcd-ca", purposes: ["sslclient"], cn: () => "kube-etcd-healthcheck-client", o: [] },
  "pki/apiserver-etcd-client.crt": { issuer: "etcd-ca", purposes: ["sslclient"], cn: () => "kube-apiserver-etcd-client", o: [] },
};

/** docs/sources.md#kubeconfigs-per-user (v1.29+), by file name; NODE is the node that holds the file */
const KUBECONFIG_USERS: Record<string, (node: string) => { cn: string; o: string[] }> = {
  "admin.conf": () => ({ cn: "kubernetes-admin", o: ["kubeadm:cluster-admins"] }),
  "super-admin.conf": () => ({ cn: "kubernetes-super-admin", o: ["system:masters"] }),
  "controller-manager.conf": () => ({ cn: "system:kube-controller-manager", o: [] }),
  "scheduler.conf": () => ({ cn: "system:kube-scheduler", o: [] }),
  "kubelet.conf": (node) => ({ cn: `system:node:${node}`, o: ["system:nodes"] }),
  "dev.conf": () => ({ cn: "dev", o: ["developers"] }),
};

const ALGORITHMS = [
  { keyAlgorithm: "ecdsa-p256", workerKubelet: "pre-issued", keyText: /Private-Key: \(256 bit[\s\S]*prime256v1/, certKey: /id-ecPublicKey[\s\S]*prime256v1/, pem: "EC PRIVATE KEY" },
  { keyAlgorithm: "rsa-2048", workerKubelet: "bootstrap-token", keyText: /Private-Key: \(2048 bit/, certKey: /rsaEncryption[\s\S]*Public-Key: \(2048 bit\)/, pem: "RSA PRIVATE KEY" },
] as const;

const clusters = new Map<string, WrittenCluster>();

beforeAll(async () => {
  for (const a of ALGORITHMS) clusters.set(a.keyAlgorithm, await writeCluster({ keyAlgorithm: a.keyAlgorithm, workerKubelet: a.workerKubelet }, `ks-openssl-${a.keyAlgorithm}-`));
});

afterAll(() => {
  for (const c of clusters.values()) c.dispose();
});

function files(dir: string, suffix: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f)).sort();
}

function verify(caFile: string, purpose: Purpose, cert: string) {
  return run("openssl", ["verify", "-x509_strict", "-CAfile", caFile, "-purpose", purpose, cert]);
}

function check(cert: string, flag: "-checkhost" | "-checkip", value: string): boolean {
  const r = run("openssl", ["x509", "-in", cert, "-noout", flag, value]);
  expect(r.status, r.out).toBe(0);
  if (r.out.includes("does NOT match")) return false;
  expect(r.out, `${flag} ${value}`).toMatch(/does match certificate/);
  return true;
}

describe.each(ALGORITHMS)("openssl on the $keyAlgorithm cluster", (alg) => {
  const c = () => clusters.get(alg.keyAlgorithm)!;
  const other = () => clusters.get(ALGORITHMS.find((a) => a !== alg)!.keyAlgorithm)!;

  it("finds exactly kubeadm's leaf certificates in each node tree, none on workers", () => {
    for (const node of [...CONTROL_PLANES, ...WORKERS]) {
      const pki = c().etc(node, "pki");
      // a token-joined worker has no pki folder at all: kubeadm join writes its ca.crt
      const leaves = (existsSync(pki) ? files(pki, ".crt") : [])
        .map((f) => `pki/${relative(pki, f)}`)
        .filter((f) => !Object.values(CA_FILES).includes(f));
      expect(leaves, node).toEqual(node.startsWith("cp-") ? Object.keys(LEAVES).sort() : []);
    }
  });

  it("verifies every leaf against the CA its issuer names, for exactly its purposes, with kubeadm's subject", () => {
    for (const node of CONTROL_PLANES) {
      for (const [rel, leaf] of Object.entries(LEAVES)) {
        const cert = c().etc(node, rel);
        const issuer = issuerOf(cert).cn!;
        expect(issuer, `${node} ${rel}`).toBe(leaf.issuer);
        const ca = c().etc(node, CA_FILES[issuer]);
        for (const purpose of ["sslserver", "sslclient"] as const) {
          const r = verify(ca, purpose, cert);
          if (leaf.purposes.includes(purpose)) {
            expect(r.status, `${node} ${rel} ${purpose}: ${r.out}`).toBe(0);
            expect(r.out).toMatch(/: OK$/m);
          } else {
            expect(r.status, `${node} ${rel} must not pass ${purpose}`).not.toBe(0);
            expect(r.out).toMatch(/unsuitable certificate purpose/);
          }
        }
        const subject = subjectOf(cert);
        expect(subject.cn, `${node} ${rel}`).toBe(leaf.cn(node));
        if (leaf.o) expect(subject.o, `${node} ${rel}`).toEqual(leaf.o);
      }
    }
  });

  it("uses one CA per kind on every node and for the operator", () => {
    for (const ca of Object.values(CA_FILES)) {
      const operator = certPublicKey(c().op(ca));
      for (const node of CONTROL_PLANES) expect(certPublicKey(c().etc(node, ca)), `${node} ${ca}`).toBe(operator);
    }
    for (const node of WORKERS) {
      if (alg.workerKubelet === "pre-issued") expect(certPublicKey(c().etc(node, "pki/ca.crt")), node).toBe(certPublicKey(c().op("pki/ca.crt")));
      else expect(existsSync(c().etc(node, "pki/ca.crt")), `${node}: kubeadm join refuses a pre-placed ca.crt`).toBe(false);
    }
  });

  it("refuses every leaf against the other two CAs and against the same-named CA of another cluster", () => {
    for (const [rel, leaf] of Object.entries(LEAVES)) {
      const cert = c().etc("cp-2", rel);
      for (const [cn, caRel] of Object.entries(CA_FILES)) {
        if (cn === leaf.issuer) continue;
        const r = verify(c().etc("cp-2", caRel), leaf.purposes[0], cert);
        expect(r.status, `${rel} against ${cn}: ${r.out}`).not.toBe(0);
        expect(r.out).toMatch(/unable to get local issuer certificate/);
      }
      const foreign = verify(other().etc("cp-2", CA_FILES[leaf.issuer]), leaf.purposes[0], cert);
      expect(foreign.status, `${rel} against the other cluster's ${leaf.issuer}: ${foreign.out}`).not.toBe(0);
    }
  });

  it("carries every name the apiserver and etcd certificates must have, and not another node's", () => {
    for (const node of CONTROL_PLANES) {
      const apiserver = c().etc(node, "pki/apiserver.crt");
      for (const host of [node, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", ENDPOINT_DNS]) {
        expect(check(apiserver, "-checkhost", host), `${node} apiserver ${host}`).toBe(true);
      }
      for (const ip of ["10.96.0.1", ADDRESS[node], VIP, "127.0.0.1"]) expect(check(apiserver, "-checkip", ip), `${node} apiserver ${ip}`).toBe(true);
      for (const rel of ["pki/etcd/server.crt", "pki/etcd/peer.crt"]) {
        const cert = c().etc(node, rel);
        for (const host of [node, "localhost"]) expect(check(cert, "-checkhost", host), `${node} ${rel} ${host}`).toBe(true);
        for (const ip of [ADDRESS[node], "127.0.0.1", "::1"]) expect(check(cert, "-checkip", ip), `${node} ${rel} ${ip}`).toBe(true);
      }
      for (const stranger of CONTROL_PLANES.filter((n) => n !== node)) {
        expect(check(apiserver, "-checkip", ADDRESS[stranger]), `${node} apiserver must not carry ${stranger}'s address`).toBe(false);
        expect(check(apiserver, "-checkhost", stranger), `${node} apiserver must not carry ${stranger}'s name`).toBe(false);
        expect(check(c().etc(node, "pki/etcd/server.crt"), "-checkip", ADDRESS[stranger]), `${node} etcd server vs ${stranger}`).toBe(false);
      }
    }
    expect(check(c().etc("cp-1", "pki/apiserver.crt"), "-checkhost", "kubernetes.default.svc.cluster.example")).toBe(false);
  });

  it("loads every private key as a key of the profile's algorithm that matches its certificate or public key", () => {
    for (const node of CONTROL_PLANES) {
      const pki = c().etc(node, "pki");
      const keys = files(pki, ".key");
      expect(keys.length, node).toBe(Object.keys(LEAVES).length + Object.keys(CA_FILES).length + 1);
      for (const key of keys) {
        const pub = keyPublicKey(key);
        expect(pub, key).toMatch(/^-----BEGIN PUBLIC KEY-----/);
        expect(readFileSync(key, "utf8"), key).toMatch(new RegExp(`^-----BEGIN ${alg.pem}-----`));
        expect(keyDescription(key), key).toMatch(alg.keyText);
        if (key.endsWith("/sa.key")) {
          expect(pub, "sa.key vs sa.pub").toBe(publicKeyFile(join(pki, "sa.pub")));
          continue;
        }
        const cert = key.replace(/\.key$/, ".crt");
        expect(pub, `${key} vs ${cert}`).toBe(certPublicKey(cert));
        expect(certText(cert), cert).toMatch(alg.certKey);
      }
      // a key must not match an unrelated certificate (guards the comparison itself)
      expect(keyPublicKey(join(pki, "apiserver.key"))).not.toBe(certPublicKey(join(pki, "apiserver-kubelet-client.crt")));
    }
  });

  it("gives every kubeconfig a client certificate of the cluster CA with kubeadm's CN and O, and its matching key", () => {
    const kubeconfigs: [string, string][] = [];
    for (const node of [...CONTROL_PLANES, ...WORKERS]) {
      for (const f of readdirSync(c().etc(node, "")).filter((x) => x.endsWith(".conf"))) kubeconfigs.push([node, c().etc(node, f)]);
    }
    kubeconfigs.push(
      ["cp-1", c().op("kubeconfigs/admin.conf")],
      ["cp-1", c().op("kubeconfigs/super-admin.conf")],
      ["cp-1", c().op("kubeconfigs/users/dev.conf")],
      ["cp-1", c().op("kubeconfigs/bootstrap-kubelet.conf")],
    );
    const seen = new Set<string>();
    for (const [node, path] of kubeconfigs) {
      const name = path.split("/").pop()!;
      const k = readKubeconfig(path);
      if (name === "bootstrap-kubelet.conf") {
        expect(path, "only the operator holds it: kubeadm join writes the node's own").toBe(c().op("kubeconfigs/bootstrap-kubelet.conf"));
        expect(k.certPem, path).toBeUndefined();
        expect(k.token, path).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
        expect(k.token!.split(".")[0]).toBe(parse(readFileSync(c().op("join-info.yaml"), "utf8")).tokenId);
        seen.add(name);
        continue;
      }
      const base = join(c().root, "kubeconfig-certs", relative(c().out, path).replace(/\.conf$/, ""));
      mkdirSync(dirname(base), { recursive: true });
      writeFileSync(`${base}.client.crt`, k.certPem!);
      writeFileSync(`${base}.client.key`, k.keyPem!, { mode: 0o600 });
      writeFileSync(`${base}.ca.crt`, k.caPem);
      expect(certPublicKey(`${base}.ca.crt`), `${path} embeds the cluster CA`).toBe(certPublicKey(c().op("pki/ca.crt")));
      const r = verify(c().op("pki/ca.crt"), "sslclient", `${base}.client.crt`);
      expect(r.status, `${path}: ${r.out}`).toBe(0);
      const server = verify(c().op("pki/ca.crt"), "sslserver", `${base}.client.crt`);
      expect(server.status, `${path} client cert must not be a server cert`).not.toBe(0);
      expect(keyPublicKey(`${base}.client.key`), path).toBe(certPublicKey(`${base}.client.crt`));
      expect(subjectOf(`${base}.client.crt`), path).toEqual(KUBECONFIG_USERS[name](node));
      seen.add(name);
    }
    const expected = ["admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet.conf", "dev.conf", "bootstrap-kubelet.conf"];
    expect([...seen].sort()).toEqual(expected.sort());
  });

  it("publishes the discovery hash that kubeadm's openssl pipeline computes from ca.crt", () => {
    const joinInfo = parse(readFileSync(c().op("join-info.yaml"), "utf8"));
    const r = run("bash", ["-o", "pipefail", "-c", 'openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum', "hash", c().op("pki/ca.crt")]);
    expect(r.status, r.out).toBe(0);
    const hex = r.stdout.split(/\s/)[0];
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(joinInfo.caCertHashes).toEqual([`sha256:${hex}`]);
    const otherHash = parse(readFileSync(other().op("join-info.yaml"), "utf8")).caCertHashes[0];
    expect(otherHash).not.toBe(`sha256:${hex}`);
  });
});
