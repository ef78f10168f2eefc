/**
 * The secrets file is checked, not trusted: every CA must be a self-signed CA whose signature
 * verifies and whose validity window holds now; every leaf must be signed by a CA of the file, and
 * a leaf reused for a request must be signed by that request's CA and be valid already. Each broken
 * file is refused with a located code, and nothing is re-issued under a damaged CA. The real openssl
 * confirms that the damaged certificates are damaged.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import { UserError } from "../../generator/core/errors.js";
import { loadCa } from "../../generator/pki/authority.js";
import { issueCerts } from "../../generator/pki/issue.js";
import { signLeaf } from "../../generator/pki/leaf.js";
import { parseSecrets, serializeSecrets, type SecretsBundle } from "../../generator/pki/secrets.js";
import { deps, HOUR, LEAF_REQUESTS, NOW, options } from "./support.js";

/** The codes and paths of the UserError that `f` throws. */
async function refusal(f: () => unknown): Promise<string[]> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.diagnostics.map((d) => `${d.code} ${d.path.join(".")}`);
  }
  throw new Error("accepted");
}

/** `pem` with the base64 character at (line, col) of its body replaced. */
function flip(pem: string, line: number, col: number): string {
  const lines = pem.split("\n");
  const c = lines[line][col];
  lines[line] = lines[line].slice(0, col) + (c === "A" ? "B" : "A") + lines[line].slice(col + 1);
  return lines.join("\n");
}

function opensslVerifies(caPem: string, certPem: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), "ks-verify-"));
  writeFileSync(join(dir, "ca.crt"), caPem);
  writeFileSync(join(dir, "leaf.crt"), certPem);
  return spawnSync("openssl", ["verify", "-check_ss_sig", "-CAfile", join(dir, "ca.crt"), join(dir, "leaf.crt")]).status === 0;
}

describe("the secrets file is verified on load", () => {
  let bundle: SecretsBundle;
  beforeAll(async () => {
    bundle = (await issueCerts(LEAF_REQUESTS, options(), undefined, deps())).secrets;
  });
  const withCa = (cert: string): string => serializeSecrets({ ...bundle, cas: { ...bundle.cas, kubernetes: { ...bundle.cas.kubernetes, cert } } });
  const withLeaf = (id: string, c: Partial<SecretsBundle["certs"][string]>): string => serializeSecrets({ ...bundle, certs: { ...bundle.certs, [id]: { ...bundle.certs[id], ...c } } });

  it("refuses the kubernetes CA certificate with any one base64 character changed (openssl agrees it is broken)", async () => {
    const pem = bundle.cas.kubernetes.cert;
    const body = pem.split("\n").length - 2;
    let tried = 0;
    for (let line = 1; line < body; line++) {
      for (let col = 0; col < 64; col += 7) {
        const bad = flip(pem, line, col);
        if (bad === pem || !bad.split("\n")[line][col]) continue;
        tried++;
        const codes = await refusal(() => parseSecrets(withCa(bad), "secrets/test.yaml"));
        expect(codes.some((c) => c.startsWith("secrets.") && c.includes("cas.kubernetes")), `line ${line} col ${col}: ${codes.join(", ")}`).toBe(true);
      }
    }
    expect(tried).toBeGreaterThan(50);
    // the real openssl: a flip in the signature leaves a certificate that parses but does not verify
    const sigFlip = flip(pem, body - 1, 3);
    expect(opensslVerifies(sigFlip, sigFlip)).toBe(false);
    expect(await refusal(() => parseSecrets(withCa(sigFlip), "s.yaml"))).toContain("secrets.bad-signature cas.kubernetes.cert");
  });

  it("refuses a leaf whose signature is broken (openssl agrees), naming it", async () => {
    const id = "node/cp-1/apiserver";
    const pem = bundle.certs[id].cert;
    const bad = flip(pem, pem.split("\n").length - 3, 5);
    expect(opensslVerifies(bundle.cas.kubernetes.cert, bad)).toBe(false);
    expect(await refusal(() => parseSecrets(withLeaf(id, { cert: bad }), "s.yaml"))).toEqual([`secrets.bad-signature certs.${id}.cert`]);
  });

  it("refuses a leaf with its key from another cluster's file (no CA of this file signed it)", async () => {
    const other = (await issueCerts(LEAF_REQUESTS, options(), undefined, deps(undefined, "other-cluster"))).secrets;
    const id = "operator/alice";
    expect(await refusal(() => parseSecrets(withLeaf(id, other.certs[id]), "s.yaml"))).toEqual([`secrets.bad-signature certs.${id}.cert`]);
  });

  it("refuses to reuse a leaf signed by another CA of the file under its request's id", async () => {
    // an etcd-CA leaf (with its key) stored as the kubernetes-CA leaf operator/alice, its specHash kept
    const etcdLeaf = bundle.certs["node/cp-1/etcd-server"];
    const prior = parseSecrets(withLeaf("operator/alice", { cert: etcdLeaf.cert, key: etcdLeaf.key }), "s.yaml");
    expect(await refusal(() => issueCerts(LEAF_REQUESTS, options(), prior, deps()))).toEqual(["pki.leaf-other-ca certs.operator/alice.cert"]);
  });

  it("refuses a CA that becomes valid only in 30 days, and never replaces it", async () => {
    const future = (await issueCerts(LEAF_REQUESTS, options(), undefined, deps(fixedClock(new Date(Date.parse(NOW) + 30 * 24 * HOUR).toISOString())))).secrets;
    const prior = parseSecrets(serializeSecrets(future), "s.yaml");
    const codes = await refusal(() => issueCerts(LEAF_REQUESTS, options(), prior, deps()));
    expect(codes).toContain("pki.ca-not-yet-valid cas.kubernetes.cert");
  });

  it("refuses a stored leaf that becomes valid only later, although its CA signed it", async () => {
    const id = "operator/alice";
    const ca = await loadCa("kubernetes", bundle.cas.kubernetes.cert, bundle.cas.kubernetes.key!);
    const laterCa = { ...ca, notBefore: new Date(Date.parse(NOW) + 10 * 24 * HOUR) };
    const req = LEAF_REQUESTS.find((r) => r.id === id)!;
    const leaf = await signLeaf(req, laterCa, { keyAlgorithm: "ecdsa-p256", validityHours: 8760 }, deps());
    const prior = parseSecrets(withLeaf(id, { cert: leaf.cert, key: leaf.key }), "s.yaml");
    expect(await refusal(() => issueCerts(LEAF_REQUESTS, options(), prior, deps()))).toEqual([`pki.leaf-not-yet-valid certs.${id}.cert`]);
  });

  it("checks a file again when it changes after a load (parsed keys and certificates are remembered by their text only)", async () => {
    const ids = Object.keys(bundle.certs).sort();
    const [a, b] = [ids[0], ids[1]];
    expect(() => parseSecrets(serializeSecrets(bundle), "s.yaml")).not.toThrow();
    // the same keys, now under the other certificate: both pairs are refused although each key parsed before
    const swapped = serializeSecrets({ ...bundle, certs: { ...bundle.certs, [a]: { ...bundle.certs[a], key: bundle.certs[b].key }, [b]: { ...bundle.certs[b], key: bundle.certs[a].key } } });
    expect(await refusal(() => parseSecrets(swapped, "s.yaml"))).toEqual([`secrets.key-mismatch certs.${a}.key`, `secrets.key-mismatch certs.${b}.key`].sort());
    // an EC key under the RSA label is not a PKCS#1 key: refused, although the same bytes parsed before as SEC 1
    const relabelled = bundle.certs[a].key.replace(/EC PRIVATE KEY/g, "RSA PRIVATE KEY");
    expect(await refusal(() => parseSecrets(withLeaf(a, { key: relabelled }), "s.yaml"))).toEqual([`secrets.bad-pem certs.${a}.key`]);
    // and the unchanged file is accepted again
    expect(() => parseSecrets(serializeSecrets(bundle), "s.yaml")).not.toThrow();
  });

  it("accepts the file it wrote, and reuses every leaf", async () => {
    const prior = parseSecrets(serializeSecrets(bundle), "s.yaml");
    const r = await issueCerts(LEAF_REQUESTS, options(), prior, deps());
    expect(r.issued).toEqual([]);
  });
});
