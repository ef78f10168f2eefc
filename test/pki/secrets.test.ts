/**
 * The secrets file format kubeseed.secrets/v1: round trip, determinism, the frozen fixture, and
 * rejection (with file, line and path) of an unknown version, mismatched keys and malformed entries.
 */
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import type { Diagnostic } from "../../generator/core/diagnostics.js";
import { UserError } from "../../generator/core/errors.js";
import { issueCerts } from "../../generator/pki/issue.js";
import { parseSecrets, serializeSecrets, type SecretsBundle } from "../../generator/pki/secrets.js";
import { deps, FIXTURE_NOW, FIXTURE_REQUESTS, FIXTURE_SEED, LEAF_REQUESTS, options } from "./support.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/secrets-v1.yaml", import.meta.url));

function rejection(text: string): { error: UserError; diags: Diagnostic[] } {
  try {
    parseSecrets(text, "secrets/test.yaml");
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { error: e, diags: e.diagnostics };
  }
  throw new Error("parseSecrets accepted the text");
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("secrets format", () => {
  let bundle: SecretsBundle;
  let text: string;
  beforeAll(async () => {
    bundle = (await issueCerts(LEAF_REQUESTS, options(), undefined, deps())).secrets;
    text = serializeSecrets(bundle);
  });

  it("serialize → parse round-trips exactly", () => {
    const back = parseSecrets(text, "x.yaml");
    expect(back).toEqual(bundle);
    expect(serializeSecrets(back)).toBe(text);
  });

  it("is deterministic: fixed key order, sorted cert ids, PEM block literals, a secret header", () => {
    const shuffled: SecretsBundle = { ...bundle, certs: Object.fromEntries(Object.entries(bundle.certs).reverse()) };
    expect(serializeSecrets(shuffled)).toBe(text);
    const top = text.split("\n").filter((l) => /^[a-zA-Z]/.test(l)).map((l) => l.split(":")[0]);
    expect(top).toEqual(["format", "cluster", "cas", "serviceAccount", "bootstrapToken", "encryptionKey", "certs"]);
    const certIds = text.split("\n").filter((l) => /^ {2}\S.*:$/.test(l) && text.indexOf(l) > text.indexOf("\ncerts:")).map((l) => l.trim().slice(0, -1));
    expect(certIds).toEqual([...certIds].sort());
    expect(text).toContain("    cert: |\n      -----BEGIN CERTIFICATE-----\n");
    expect(text.startsWith("# kubeseed secrets of cluster \"test\"")).toBe(true);
    expect(text.split("\n").slice(0, 5).join("\n")).toMatch(/SECRET/);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("the frozen fixture keeps parsing and re-serializes byte for byte", () => {
    const fixture = readFileSync(FIXTURE, "utf8");
    const b = parseSecrets(fixture, FIXTURE);
    expect(b.format).toBe("kubeseed.secrets/v1");
    expect(b.cluster).toBe("fixture");
    expect(Object.keys(b.certs)).toEqual(FIXTURE_REQUESTS.map((r) => r.id).sort());
    expect(serializeSecrets(b)).toBe(fixture);
  });

  it("the frozen fixture's certificates are reused unchanged by a later run (specHash is stable)", async () => {
    const fixture = readFileSync(FIXTURE, "utf8");
    const prior = parseSecrets(fixture, FIXTURE);
    const later = new Date(Date.parse(FIXTURE_NOW) + 86400_000).toISOString();
    const r = await issueCerts(FIXTURE_REQUESTS, options("ecdsa-p256", { cluster: "fixture" }), prior, deps(fixedClock(later), FIXTURE_SEED));
    expect(r.issued).toEqual([]);
    expect(serializeSecrets(r.secrets)).toBe(fixture);
  });

  it("rejects an unknown format version with the line and a hint", () => {
    const bad = text.replace("format: kubeseed.secrets/v1", "format: kubeseed.secrets/v2");
    const { error, diags } = rejection(bad);
    expect(error.message).toContain("secrets/test.yaml is not a valid kubeseed secrets file");
    expect(diags).toHaveLength(1);
    expect(diags[0].code).toBe("secrets.format");
    expect(diags[0].message).toBe('unknown secrets format "kubeseed.secrets/v2"; this kubeseed reads kubeseed.secrets/v1');
    expect(diags[0].hint).toBeTruthy();
    expect(diags[0].loc).toMatchObject({ file: "secrets/test.yaml", line: lineOf(bad, "format:"), col: 1 });
  });

  it("rejects a file without a format", () => {
    const { diags } = rejection(text.replace("format: kubeseed.secrets/v1\n", ""));
    expect(diags[0].message).toMatch(/missing `format`/);
  });

  it("rejects a key that does not belong to its certificate, naming the entry and its line", () => {
    const a = bundle.certs["operator/alice"];
    const swapped: SecretsBundle = { ...bundle, certs: { ...bundle.certs, "operator/alice": { ...a, key: bundle.certs["node/cp-1/apiserver"].key } } };
    const bad = serializeSecrets(swapped);
    const { diags } = rejection(bad);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ code: "secrets.key-mismatch", path: ["certs", "operator/alice", "key"] });
    expect(diags[0].message).toBe("the private key does not belong to certificate operator/alice");
    const aliceLine = lineOf(bad, "operator/alice:");
    expect(diags[0].loc!.line).toBeGreaterThan(aliceLine);
    expect(bad.split("\n")[diags[0].loc!.line - 1].trim()).toBe("key: |");
    expect(diags[0].loc!.text).toBeUndefined(); // the place only: a line of this file can be key material
  });

  it("rejects a CA key swapped with another CA's and a service-account pair that does not match", () => {
    const bad = serializeSecrets({
      ...bundle,
      cas: { ...bundle.cas, etcd: { ...bundle.cas.etcd, key: bundle.cas.kubernetes.key } },
      serviceAccount: { ...bundle.serviceAccount, pub: readPub(bundle.cas.kubernetes.key!) },
    });
    const codes = rejection(bad).diags.map((d) => `${d.code} ${d.path.join(".")}`);
    expect(codes).toEqual(["secrets.key-mismatch cas.etcd.key", "secrets.key-mismatch serviceAccount.pub"]);
  });

  it("collects every structural problem at once, each with its place", () => {
    const bad = text
      .replace(/bootstrapToken: .*/, "bootstrapToken: NOT-A-TOKEN")
      .replace(/encryptionKey: .*/, "encryptionKey: c2hvcnQ=")
      .replace("cluster: test", "cluster: test\nextra: 1");
    const diags = rejection(bad).diags;
    expect(diags.map((d) => d.path.join("."))).toEqual(["extra", "bootstrapToken", "encryptionKey"]);
    expect(diags.map((d) => d.loc!.line)).toEqual([lineOf(bad, "extra:"), lineOf(bad, "bootstrapToken:"), lineOf(bad, "encryptionKey:")]);
  });

  it("rejects a PEM that does not parse and YAML that is not YAML", () => {
    const pemBad = text.replace(/(node\/cp-1\/apiserver:\n {4}specHash: \w+\n {4}cert: \|\n {6}-----BEGIN CERTIFICATE-----\n {6})\w/, "$1!");
    expect(rejection(pemBad).diags[0]).toMatchObject({ code: "secrets.bad-pem", path: ["certs", "node/cp-1/apiserver", "cert"] });
    const yamlBad = rejection("format: [unclosed\n").diags[0];
    expect(yamlBad.code).toBe("secrets.yaml");
    expect(yamlBad.loc!.line).toBeGreaterThanOrEqual(1);
  });
});

function readPub(keyPem: string): string {
  return createPublicKey(keyPem).export({ type: "spki", format: "pem" }).toString();
}
