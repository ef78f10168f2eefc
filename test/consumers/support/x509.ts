/**
 * Reading certificates, keys and kubeconfigs the way a consumer does: every certificate fact comes
 * from the real openssl (never from the generator's own parser); kubeconfigs are read as YAML with
 * their base64 data decoded into PEM files next to them.
 * Guarantees: each reader throws with openssl's output when openssl fails, so a test never compares
 * two empty strings.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { run } from "./proc.js";

function openssl(args: string[]): string {
  const r = run("openssl", args);
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed (${r.status}):\n${r.out}`);
  return r.stdout;
}

export interface Name {
  cn: string | undefined;
  o: string[];
}

/** RFC 2253 subject or issuer ("CN=dev,O=developers") split into CN and the list of O. */
function parseName(line: string): Name {
  const value = line.replace(/^(subject|issuer)=/, "").trim();
  const parts = value === "" ? [] : value.split(/(?<!\\),/);
  const attrs = parts.map((p) => {
    const i = p.indexOf("=");
    return [p.slice(0, i), p.slice(i + 1).replace(/\\(.)/g, "$1")] as const;
  });
  return { cn: attrs.find(([k]) => k === "CN")?.[1], o: attrs.filter(([k]) => k === "O").map(([, v]) => v) };
}

export function subjectOf(certPath: string): Name {
  return parseName(openssl(["x509", "-in", certPath, "-noout", "-subject", "-nameopt", "RFC2253"]));
}

export function issuerOf(certPath: string): Name {
  return parseName(openssl(["x509", "-in", certPath, "-noout", "-issuer", "-nameopt", "RFC2253"]));
}

/** The certificate's SubjectPublicKeyInfo as PEM, per `openssl x509 -pubkey`. */
export function certPublicKey(certPath: string): string {
  return openssl(["x509", "-in", certPath, "-noout", "-pubkey"]);
}

/** The public half of a private key as PEM, per `openssl pkey -pubout` (loads the key). */
export function keyPublicKey(keyPath: string): string {
  return openssl(["pkey", "-in", keyPath, "-pubout"]);
}

/** A PEM public key file normalised by `openssl pkey -pubin -pubout` (loads it). */
export function publicKeyFile(pubPath: string): string {
  return openssl(["pkey", "-pubin", "-in", pubPath, "-pubout"]);
}

/** `openssl pkey -text` header line: "Private-Key: (256 bit)" or "Private-Key: (2048 bit, 2 primes)", plus the curve. */
export function keyDescription(keyPath: string): string {
  return openssl(["pkey", "-in", keyPath, "-noout", "-text"]);
}

export function certText(certPath: string): string {
  return openssl(["x509", "-in", certPath, "-noout", "-text"]);
}

export interface Kubeconfig {
  server: string;
  caPem: string;
  clusterName: string;
  userName: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
}

const b64 = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8"));

/** The current context's cluster and user, with the embedded data decoded. */
export function readKubeconfig(path: string): Kubeconfig {
  const doc = parse(readFileSync(path, "utf8"));
  const ctx = doc.contexts.find((c: { name: string }) => c.name === doc["current-context"]).context;
  const cluster = doc.clusters.find((c: { name: string }) => c.name === ctx.cluster).cluster;
  const user = doc.users.find((u: { name: string }) => u.name === ctx.user).user;
  return {
    server: cluster.server,
    caPem: b64(cluster["certificate-authority-data"])!,
    clusterName: ctx.cluster,
    userName: ctx.user,
    certPem: b64(user["client-certificate-data"]),
    keyPem: b64(user["client-key-data"]),
    token: user.token,
  };
}

/** Writes a minimal client-certificate kubeconfig (for hand-built negative cases). */
export function writeKubeconfig(path: string, k: { server: string; caPem: string; certPem: string; keyPem: string }): void {
  const enc = (s: string) => Buffer.from(s).toString("base64");
  writeFileSync(
    path,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: k.server, "certificate-authority-data": enc(k.caPem) } }],
      users: [{ name: "u", user: { "client-certificate-data": enc(k.certPem), "client-key-data": enc(k.keyPem) } }],
      contexts: [{ name: "u@c", context: { cluster: "c", user: "u" } }],
      "current-context": "u@c",
    }),
    { mode: 0o600 },
  );
}
