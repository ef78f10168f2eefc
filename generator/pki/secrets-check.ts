/**
 * Validation of a parsed secrets document, in two passes that each COLLECT every problem:
 * 1. structure (zod): the exact shape of `kubeseed.secrets/v1`, unknown keys rejected;
 * 2. material (node:crypto): every PEM parses as what its place says, every private key matches its
 *    certificate (or sa.pub); every CA certificate is a CA (BasicConstraints CA:TRUE) and carries a
 *    valid self-signature; every leaf was issued and signed by one of the file's CAs.
 * Validity windows need the Clock: issue.ts checks them.
 * Problems are {path, code, message, hint?}; secrets.ts turns them into located Diagnostics.
 * Its texts are messages.secrets in core/messages.ts.
 * Guarantees: pure and synchronous; never throws for bad input (a problem is returned instead).
 */
import { createPublicKey, type KeyObject, type X509Certificate } from "node:crypto";
import { z } from "zod";
import { messages } from "../core/messages.js";
import { CA_IDS, OPTIONAL_CA_IDS } from "./cert-rules.js";
import { parsePrivateKeyPem } from "./keys.js";
import { issuedBy, parsedCertificate, PEM_CERTIFICATE, PEM_PUBLIC_KEY, pemDecodeOne } from "./pem.js";
import { isBootstrapToken, isEncryptionKey } from "./token.js";


export interface SecretsProblem {
  path: (string | number)[];
  code: string;
  message: string;
  hint?: string;
}

/** a CA's key may be absent: imported without it (gen secrets import); kubeseed then cannot sign with it */
const caPair = z.strictObject({ cert: z.string().min(1), key: z.string().min(1).optional() });

export const secretsShape = z.strictObject({
  format: z.string(),
  cluster: z.string().min(1),
  cas: z.strictObject({ kubernetes: caPair, etcd: caPair, "front-proxy": caPair, registry: caPair.optional() }),
  serviceAccount: z.strictObject({ key: z.string().min(1), pub: z.string().min(1) }),
  bootstrapToken: z.string().refine(isBootstrapToken, { message: messages.secrets.token }),
  encryptionKey: z.string().refine(isEncryptionKey, { message: messages.secrets.encryptionKey }),
  certs: z.record(
    z.string().min(1),
    z.strictObject({
      specHash: z.string().regex(/^[0-9a-f]{64}$/, { message: messages.secrets.specHash }),
      cert: z.string().min(1),
      key: z.string().min(1),
    }),
  ),
});

export type SecretsShape = z.infer<typeof secretsShape>;

/** A value of the file shown in a message only when it looks like a name, never like key material. */
export function nameLike(value: unknown): string | undefined {
  return typeof value === "string" && /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/.test(value) ? value : undefined;
}

/** Pass 1: structure. Returns the typed value when there is no problem. */
export function checkStructure(value: unknown): { value?: SecretsShape; problems: SecretsProblem[] } {
  const r = secretsShape.safeParse(value);
  if (r.success) return { value: r.data, problems: [] };
  const problems: SecretsProblem[] = [];
  for (const issue of r.error.issues) {
    const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        const shown = nameLike(k);
        problems.push({ path: shown ? [...path, shown] : path, code: "secrets.unknown-key", message: messages.secrets.unknownKey(shown), hint: messages.secrets.hint });
      }
    } else {
      problems.push({ path, code: "secrets.schema", message: issue.message, hint: messages.secrets.hint });
    }
  }
  return { problems };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function parseCert(pem: string, path: (string | number)[], out: SecretsProblem[]): X509Certificate | undefined {
  try {
    pemDecodeOne(pem, [PEM_CERTIFICATE]);
    return parsedCertificate(pem);
  } catch (e) {
    out.push({ path, code: "secrets.bad-pem", message: messages.secrets.badPem("certificate", reason(e)), hint: messages.secrets.hint });
    return undefined;
  }
}

function parseKey(pem: string, path: (string | number)[], out: SecretsProblem[]): KeyObject | undefined {
  try {
    return parsePrivateKeyPem(pem).key;
  } catch (e) {
    out.push({ path, code: "secrets.bad-pem", message: messages.secrets.badPem("private key", reason(e)), hint: messages.secrets.hint });
    return undefined;
  }
}

function checkPair(pair: { cert: string; key?: string }, base: (string | number)[], what: string, out: SecretsProblem[]): X509Certificate | undefined {
  const cert = parseCert(pair.cert, [...base, "cert"], out);
  const key = pair.key === undefined ? undefined : parseKey(pair.key, [...base, "key"], out);
  if (cert && key && !cert.checkPrivateKey(key)) {
    out.push({ path: [...base, "key"], code: "secrets.key-mismatch", message: messages.secrets.keyMismatch(what), hint: messages.secrets.keyMismatchHint });
  }
  return cert;
}

/** Pass 2: material. Every PEM parses, keys match certificates and sa.pub, CAs are self-signed CAs, leaves chain to one. */
export function checkMaterial(s: SecretsShape): SecretsProblem[] {
  const out: SecretsProblem[] = [];
  const cas: X509Certificate[] = [];
  for (const id of [...CA_IDS, ...OPTIONAL_CA_IDS]) {
    const pair = s.cas[id];
    if (!pair) continue;
    const cert = checkPair(pair, ["cas", id], `the ${id} CA certificate`, out);
    if (!cert) continue;
    if (!cert.ca) out.push({ path: ["cas", id, "cert"], code: "secrets.not-ca", message: messages.secrets.notCa, hint: messages.secrets.hint });
    else if (!issuedBy(cert, cert)) out.push({ path: ["cas", id, "cert"], code: "secrets.bad-signature", message: messages.secrets.caSignature(id), hint: messages.secrets.hint });
    else cas.push(cert);
  }
  const saKey = parseKey(s.serviceAccount.key, ["serviceAccount", "key"], out);
  let saPub: KeyObject | undefined;
  try {
    pemDecodeOne(s.serviceAccount.pub, [PEM_PUBLIC_KEY]);
    saPub = createPublicKey(s.serviceAccount.pub);
  } catch (e) {
    out.push({ path: ["serviceAccount", "pub"], code: "secrets.bad-pem", message: messages.secrets.badPem("public key", reason(e)), hint: messages.secrets.hint });
  }
  if (saKey && saPub) {
    const a = createPublicKey(saKey).export({ type: "spki", format: "der" });
    const b = saPub.export({ type: "spki", format: "der" });
    if (!a.equals(b)) out.push({ path: ["serviceAccount", "pub"], code: "secrets.key-mismatch", message: messages.secrets.saMismatch, hint: messages.secrets.keyMismatchHint });
  }
  for (const id of Object.keys(s.certs).sort()) {
    const cert = checkPair(s.certs[id], ["certs", id], `certificate ${id}`, out);
    if (cert && !cas.some((ca) => issuedBy(cert, ca))) {
      out.push({ path: ["certs", id, "cert"], code: "secrets.bad-signature", message: messages.secrets.leafSignature(id), hint: messages.secrets.leafSignatureHint });
    }
  }
  return out;
}
