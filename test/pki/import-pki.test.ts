/**
 * importPki as a pure function: a directory's files (made here by kubeseed's own CA code, and Ed25519
 * by node:crypto) → secrets, or every problem named by file. The real kubeadm's directory and the CLI
 * are in test/consumers/kubeadm/secrets-import.test.ts.
 */
import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import { createCa } from "../../generator/pki/authority.js";
import { importPki } from "../../generator/pki/import-pki.js";
import { parseSecrets, serializeSecrets } from "../../generator/pki/secrets.js";
import { deps, HOUR, NOW } from "./support.js";

const OPTS = { cluster: "imported", keyAlgorithm: "ecdsa-p256" as const, caValidityHours: 87600 };
let dir: Record<string, string | undefined>;

beforeAll(async () => {
  const d = deps();
  const [k, f, e] = await Promise.all((["kubernetes", "front-proxy", "etcd"] as const).map((id) => createCa(id, { keyAlgorithm: "ecdsa-p256", validityHours: 1000 }, d)));
  const sa = await d.keys.generate("ecdsa-p256");
  dir = {
    "ca.crt": k.certPem, "ca.key": k.keyPem,
    "front-proxy-ca.crt": f.certPem, "front-proxy-ca.key": f.keyPem,
    "etcd/ca.crt": e.certPem, "etcd/ca.key": e.keyPem,
    "sa.key": sa.privateKeyPem, "sa.pub": sa.publicKeyPem,
  };
});

describe("importPki", () => {
  it("takes the CAs and the sa pair as they are, makes a token and an encryption key; the file round-trips", async () => {
    const r = await importPki(dir, OPTS, deps());
    expect(r.problems).toEqual([]);
    expect(r.secrets!.cas.kubernetes).toEqual({ cert: dir["ca.crt"], key: dir["ca.key"] });
    expect(r.secrets!.serviceAccount).toEqual({ key: dir["sa.key"], pub: dir["sa.pub"] });
    expect(r.secrets!.bootstrapToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(parseSecrets(serializeSecrets(r.secrets!), "s.yaml")).toEqual(r.secrets);
  });

  it("without CA keys: kept keyless (and the file still parses); without sa.pub: derived; without etcd/ca.crt: a new etcd CA", async () => {
    const r = await importPki({ ...dir, "ca.key": undefined, "front-proxy-ca.key": undefined, "sa.pub": undefined, "etcd/ca.crt": undefined, "etcd/ca.key": undefined }, OPTS, deps());
    expect(r.problems).toEqual([]);
    expect(r.keyless).toEqual(["kubernetes", "front-proxy"]);
    expect(r.secrets!.cas.kubernetes).toEqual({ cert: dir["ca.crt"] });
    expect(r.secrets!.serviceAccount.pub).toBe(dir["sa.pub"]);
    expect(r.newEtcdCa).toBe(true);
    expect(r.secrets!.cas.etcd.key).toMatch(/PRIVATE KEY/);
    expect(parseSecrets(serializeSecrets(r.secrets!), "s.yaml").cas.kubernetes.key).toBeUndefined();
  });

  it("an expired CA, an unsupported key type and a missing required file are each named by file", async () => {
    const later = deps(fixedClock(new Date(Date.parse(NOW) + 2000 * HOUR).toISOString()));
    const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const r = await importPki({ ...dir, "sa.key": ed, "front-proxy-ca.crt": undefined }, OPTS, later);
    expect(r.secrets).toBeUndefined();
    expect(r.problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      expect.stringMatching(/^ca\.crt: ca\.crt expired on \d{4}-\d\d-\d\d$/),
      expect.stringMatching(/^etcd\/ca\.crt: etcd\/ca\.crt expired on/),
      "front-proxy-ca.crt: front-proxy-ca.crt is missing",
      expect.stringMatching(/^sa\.key: sa\.key holds a ed25519 key; kubeseed issues with ECDSA/),
    ]);
    for (const p of r.problems) expect(p.message).not.toMatch(/BEGIN/);
  });
});
