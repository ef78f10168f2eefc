/**
 * discovery-token-ca-cert-hash against OpenSSL for an EC and an RSA CA; specHash sensitivity.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createCa } from "../../generator/pki/authority.js";
import { discoveryHash, specHash, type SpecInputs } from "../../generator/pki/hash.js";
import type { KeyAlgorithm } from "../../generator/profile/schema.js";
import { deps, request } from "./support.js";

/** `openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum` */
function opensslPin(certPem: string): string {
  const pub = execFileSync("openssl", ["x509", "-noout", "-pubkey"], { input: certPem });
  const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "DER"], { input: pub });
  const sum = execFileSync("sha256sum", [], { input: der }).toString().split(" ")[0];
  return `sha256:${sum}`;
}

describe("discoveryHash", () => {
  it.each<KeyAlgorithm>(["ecdsa-p256", "ecdsa-p384", "rsa-2048"])("equals OpenSSL's SPKI pin for a %s CA", async (alg) => {
    const ca = await createCa("kubernetes", { keyAlgorithm: alg, validityHours: 24 }, deps());
    const h = discoveryHash(ca.certPem);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(h).toBe(opensslPin(ca.certPem));
  });

  it("differs between CAs and throws on text that is not a certificate", async () => {
    const [a, b] = await Promise.all([
      createCa("kubernetes", { keyAlgorithm: "ecdsa-p256", validityHours: 24 }, deps()),
      createCa("etcd", { keyAlgorithm: "ecdsa-p256", validityHours: 24 }, deps()),
    ]);
    expect(discoveryHash(a.certPem)).not.toBe(discoveryHash(b.certPem));
    expect(() => discoveryHash("not a certificate")).toThrow();
  });
});

describe("specHash", () => {
  const base: SpecInputs = {
    request: request("node/a/apiserver", { extKeyUsages: ["serverAuth"], dnsNames: ["a"], ipAddresses: ["10.0.0.1"], organizations: ["o"] }),
    keyAlgorithm: "ecdsa-p256",
    certValidityHours: 8760,
    caFingerprint: "00".repeat(32),
  };

  it("is stable and ignores the request id", () => {
    expect(specHash(base)).toBe(specHash({ ...base, request: { ...base.request } }));
    expect(specHash(base)).toBe(specHash({ ...base, request: { ...base.request, id: "elsewhere" } }));
    expect(specHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<SpecInputs> | { request: Partial<SpecInputs["request"]> }]>([
    ["profile", { request: { profile: "other" } }],
    ["signer", { request: { signer: "etcd" } }],
    ["CN", { request: { commonName: "x" } }],
    ["O", { request: { organizations: ["p"] } }],
    ["O order", { request: { organizations: ["o", "p"] } }],
    ["EKU", { request: { extKeyUsages: ["clientAuth"] } }],
    ["DNS", { request: { dnsNames: ["b"] } }],
    ["IP", { request: { ipAddresses: ["10.0.0.2"] } }],
    ["key algorithm", { keyAlgorithm: "rsa-2048" }],
    ["validity", { certValidityHours: 24 }],
    ["CA fingerprint", { caFingerprint: "11".repeat(32) }],
  ])("changes with the %s", (_, change) => {
    const next = { ...base, ...change, request: { ...base.request, ...("request" in change ? change.request : {}) } } as SpecInputs;
    expect(specHash(next)).not.toBe(specHash(base));
  });
});
