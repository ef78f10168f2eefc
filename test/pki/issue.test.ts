/**
 * issueCerts over runs: create what is missing, reuse the rest byte for byte, re-issue only what
 * changed or is about to expire, drop what is no longer requested, never replace a CA.
 */
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import { UserError } from "../../generator/core/errors.js";
import { expiryRows, expiryWarnings } from "../../generator/pki/expiry.js";
import { issueCerts } from "../../generator/pki/issue.js";
import { serializeSecrets } from "../../generator/pki/secrets.js";
import type { CertRequest } from "../../generator/plan/types.js";
import { deps, HOUR, LEAF_REQUESTS, options, parsed, request } from "./support.js";

const ids = LEAF_REQUESTS.map((r) => r.id).sort();
const later = (iso: string) => deps(fixedClock(iso), "another-seed");

describe("issueCerts", () => {
  it("first run creates everything: 3 CAs, SA pair, token, encryption key, every leaf", async () => {
    const r = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    expect(r.issued).toEqual(ids);
    expect(r.reused).toEqual([]);
    expect(r.removed).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(Object.keys(r.secrets.cas).sort()).toEqual(["etcd", "front-proxy", "kubernetes"]);
    expect(r.secrets.bootstrapToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(Buffer.from(r.secrets.encryptionKey, "base64")).toHaveLength(32);
    expect(Object.keys(r.secrets.certs)).toEqual(ids);
    for (const id of ids) expect(r.secrets.certs[id].specHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is deterministic: the same requests and secrets give identical secrets and PEMs", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const again = await issueCerts(LEAF_REQUESTS, options(), first.secrets, later("2025-06-01T00:00:00Z"));
    expect(again.issued).toEqual([]);
    expect(again.reused).toEqual(ids);
    expect(again.secrets).toEqual(first.secrets);
    expect(serializeSecrets(again.secrets)).toBe(serializeSecrets(first.secrets));
  });

  it("request order does not matter", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const again = await issueCerts([...LEAF_REQUESTS].reverse(), options(), first.secrets, deps());
    expect(serializeSecrets(again.secrets)).toBe(serializeSecrets(first.secrets));
  });

  it("re-issues only the request whose SAN changed, with a new key", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const changed = LEAF_REQUESTS.map((r) => (r.id === "node/cp-1/apiserver" ? { ...r, ipAddresses: [...r.ipAddresses, "203.0.113.7"] } : r));
    const r = await issueCerts(changed, options(), first.secrets, deps());
    expect(r.issued).toEqual(["node/cp-1/apiserver"]);
    expect(r.reused).toEqual(ids.filter((id) => id !== "node/cp-1/apiserver"));
    expect(r.secrets.certs["node/cp-1/apiserver"].key).not.toBe(first.secrets.certs["node/cp-1/apiserver"].key);
    expect(r.secrets.certs["node/cp-1/apiserver"].specHash).not.toBe(first.secrets.certs["node/cp-1/apiserver"].specHash);
    expect(r.secrets.cas).toEqual(first.secrets.cas);
  });

  it.each<[string, Partial<CertRequest>]>([
    ["organizations", { organizations: ["other"] }],
    ["common name", { commonName: "renamed" }],
    ["extended key usage", { extKeyUsages: ["clientAuth", "serverAuth"] }],
    ["profile", { profile: "other" }],
  ])("re-issues when the %s changes", async (_, over) => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const changed = LEAF_REQUESTS.map((r) => (r.id === "operator/alice" ? { ...r, ...over } : r));
    const r = await issueCerts(changed, options(), first.secrets, deps());
    expect(r.issued).toEqual(["operator/alice"]);
  });

  it("re-issues every leaf when the validity setting or the key algorithm changes", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    expect((await issueCerts(LEAF_REQUESTS, options("ecdsa-p256", { certValidityHours: 720 }), first.secrets, deps())).issued).toEqual(ids);
    const p384 = await issueCerts(LEAF_REQUESTS, options("ecdsa-p384"), first.secrets, deps());
    expect(p384.issued).toEqual(ids);
    // a CA is never replaced, even when the algorithm changed: it is kept and a note says so
    expect(p384.secrets.cas).toEqual(first.secrets.cas);
    expect(p384.secrets.serviceAccount).toEqual(first.secrets.serviceAccount);
    expect(p384.notes.filter((n) => n.includes("never replaces a CA"))).toHaveLength(3);
    expect(p384.notes.some((n) => n.includes("service-account key stays ecdsa-p256"))).toBe(true);
  });

  it("drops certificates no longer requested and lists them in `removed`", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const kept = LEAF_REQUESTS.filter((r) => r.id !== "operator/alice" && r.id !== "node/cp-1/etcd-server");
    const r = await issueCerts(kept, options(), first.secrets, deps());
    expect(r.removed).toEqual(["node/cp-1/etcd-server", "operator/alice"]);
    expect(r.issued).toEqual([]);
    expect(Object.keys(r.secrets.certs)).toEqual(kept.map((q) => q.id).sort());
  });

  it("re-issues a leaf that expires within 30 days, and only then", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const notAfter = parsed(first.secrets.certs["operator/alice"].cert).notAfter.getTime();
    const at = (ms: number) => new Date(ms).toISOString();
    const before = await issueCerts(LEAF_REQUESTS, options(), first.secrets, later(at(notAfter - 31 * 24 * HOUR)));
    expect(before.issued).toEqual([]);
    const inside = await issueCerts(LEAF_REQUESTS, options(), first.secrets, later(at(notAfter - 29 * 24 * HOUR)));
    expect(inside.issued).toEqual(ids);
    expect(parsed(inside.secrets.certs["operator/alice"].cert).notAfter.getTime()).toBeGreaterThan(notAfter);
  });

  it("keeps a leaf clamped to its CA's end instead of re-issuing it on every run, with an expiry warning", async () => {
    const opts = options("ecdsa-p256", { caValidityHours: 24 * 20 });
    const first = await issueCerts(LEAF_REQUESTS, opts, undefined, deps());
    const r = await issueCerts(LEAF_REQUESTS, opts, first.secrets, deps());
    expect(r.issued).toEqual([]);
    const warnings = expiryWarnings(expiryRows(r.secrets, deps().clock.now(), 30 * 24 * HOUR));
    expect(warnings.filter((n) => n.includes("plan a CA rotation"))).toHaveLength(3);
    expect(warnings.filter((n) => n.includes("re-issuing cannot extend it past its CA's end"))).toHaveLength(Object.keys(r.secrets.certs).length);
  });

  it("refuses an expired CA and secrets of another cluster", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options("ecdsa-p256", { caValidityHours: 24 }), undefined, deps());
    await expect(issueCerts(LEAF_REQUESTS, options(), first.secrets, later("2025-03-05T00:00:00Z"))).rejects.toThrow(/kubernetes CA in the secrets file expired on 2025-03-02/);
    const other = issueCerts(LEAF_REQUESTS, options("ecdsa-p256", { cluster: "prod" }), first.secrets, deps());
    await expect(other).rejects.toBeInstanceOf(UserError);
  });

  it("completes a bundle with missing parts and keeps the parts present", async () => {
    const first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const partial = { ...first.secrets, bootstrapToken: "", cas: { ...first.secrets.cas, etcd: undefined } } as unknown as typeof first.secrets;
    const r = await issueCerts(LEAF_REQUESTS, options(), partial, later("2025-03-02T00:00:00Z"));
    expect(r.secrets.bootstrapToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(r.secrets.bootstrapToken).not.toBe(first.secrets.bootstrapToken);
    expect(r.secrets.cas.kubernetes).toEqual(first.secrets.cas.kubernetes);
    expect(r.secrets.cas.etcd.cert).not.toBe(first.secrets.cas.etcd.cert);
    expect(r.issued).toEqual(["node/cp-1/etcd-server"]);
  });

  it("rejects a request id given twice", async () => {
    await expect(issueCerts([request("a/b"), request("a/b")], options(), undefined, deps())).rejects.toThrow(/requested twice/);
  });

  it("a seeded RandomSource gives fixed serials, token and encryption key", async () => {
    const a = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    const b = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    expect(b.secrets.bootstrapToken).toBe(a.secrets.bootstrapToken);
    expect(b.secrets.encryptionKey).toBe(a.secrets.encryptionKey);
    for (const id of ids) expect(parsed(b.secrets.certs[id].cert).serialNumber).toBe(parsed(a.secrets.certs[id].cert).serialNumber);
  });
});
