/**
 * Validation of a parsed secrets document, in two passes that each COLLECT every problem:
 * 1. structure (zod): the exact shape of `kubeseed.secrets/v1`, unknown keys rejected;
 * 2. material (node:crypto): every PEM parses as what its place says, every private key matches its
 *    certificate (or sa.pub), CA certificates are CAs.
 * Problems are {path, code, message, hint?}; secrets.ts turns them into located Diagnostics.
 * The user-facing texts of the secrets file live in SECRETS_MESSAGES below (one table; to be merged
 * into core's messages file).
 * Guarantees: pure and synchronous; never throws for bad input (a problem is returned instead).
 */
import { createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { z } from "zod";
import { parsePrivateKeyPem } from "./keys.js";
import { PEM_CERTIFICATE, PEM_PUBLIC_KEY, pemDecodeOne } from "./pem.js";
import { isBootstrapToken, isEncryptionKey } from "./token.js";

export const SECRETS_MESSAGES = {
  parseFailed: (file: string, n: number) => `${file} is not a valid kubeseed secrets file (${n} problem${n === 1 ? "" : "s"})`,
  yamlSyntax: (reason: string) => `YAML syntax error: ${reason}`,
  notAMapping: "the secrets file must be a YAML mapping",
  missingFormat: "missing `format`; a kubeseed secrets file starts with `format: kubeseed.secrets/v1`",
  unknownFormat: (found: string, known: string) => `unknown secrets format "${found}"; this kubeseed reads ${known}`,
  unknownFormatHint: "use the kubeseed release that wrote this file, or check that the file is a kubeseed secrets file",
  token: "bootstrapToken must match [a-z0-9]{6}.[a-z0-9]{16}",
  encryptionKey: "encryptionKey must be base64 of exactly 32 bytes",
  specHash: "specHash must be 64 lower-case hex digits",
  badPem: (what: string, reason: string) => `${what} does not parse: ${reason}`,
  notCa: "this CA certificate is not a CA (BasicConstraints CA:TRUE missing)",
  keyMismatch: (what: string) => `the private key does not belong to ${what}`,
  keyMismatchHint: "restore the matching key from a backup, or delete this entry so kubeseed issues a new pair",
  saMismatch: "serviceAccount.key and serviceAccount.pub are not one key pair",
  hint: "the secrets file is written by kubeseed; restore it from a backup rather than editing it by hand",
} as const;

export interface SecretsProblem {
  path: (string | number)[];
  code: string;
  message: string;
  hint?: string;
}

const keyPair = z.strictObject({ cert: z.string().min(1), key: z.string().min(1) });

export const secretsShape = z.strictObject({
  format: z.string(),
  cluster: z.string().min(1),
  cas: z.strictObject({ kubernetes: keyPair, etcd: keyPair, "front-proxy": keyPair }),
  serviceAccount: z.strictObject({ key: z.string().min(1), pub: z.string().min(1) }),
  bootstrapToken: z.string().refine(isBootstrapToken, { message: SECRETS_MESSAGES.token }),
  encryptionKey: z.string().refine(isEncryptionKey, { message: SECRETS_MESSAGES.encryptionKey }),
  certs: z.record(
    z.string().min(1),
    z.strictObject({
      specHash: z.string().regex(/^[0-9a-f]{64}$/, { message: SECRETS_MESSAGES.specHash }),
      cert: z.string().min(1),
      key: z.string().min(1),
    }),
  ),
});

export type SecretsShape = z.infer<typeof secretsShape>;

/** Pass 1: structure. Returns the typed value when there is no problem. */
export function checkStructure(value: unknown): { value?: SecretsShape; problems: SecretsProblem[] } {
  const r = secretsShape.safeParse(value);
  if (r.success) return { value: r.data, problems: [] };
  const problems: SecretsProblem[] = [];
  for (const issue of r.error.issues) {
    const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) problems.push({ path: [...path, k], code: "secrets.unknown-key", message: `unknown key "${k}"`, hint: SECRETS_MESSAGES.hint });
    } else {
      problems.push({ path, code: "secrets.schema", message: issue.message, hint: SECRETS_MESSAGES.hint });
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
    return new X509Certificate(pem);
  } catch (e) {
    out.push({ path, code: "secrets.bad-pem", message: SECRETS_MESSAGES.badPem("certificate", reason(e)), hint: SECRETS_MESSAGES.hint });
    return undefined;
  }
}

function parseKey(pem: string, path: (string | number)[], out: SecretsProblem[]): KeyObject | undefined {
  try {
    return parsePrivateKeyPem(pem).key;
  } catch (e) {
    out.push({ path, code: "secrets.bad-pem", message: SECRETS_MESSAGES.badPem("private key", reason(e)), hint: SECRETS_MESSAGES.hint });
    return undefined;
  }
}

function checkPair(pair: { cert: string; key: string }, base: (string | number)[], what: string, out: SecretsProblem[]): X509Certificate | undefined {
  const cert = parseCert(pair.cert, [...base, "cert"], out);
  const key = parseKey(pair.key, [...base, "key"], out);
  if (cert && key && !cert.checkPrivateKey(key)) {
    out.push({ path: [...base, "key"], code: "secrets.key-mismatch", message: SECRETS_MESSAGES.keyMismatch(what), hint: SECRETS_MESSAGES.keyMismatchHint });
  }
  return cert;
}

/** Pass 2: material. Every PEM parses, keys match certificates and sa.pub, CAs are CAs. */
export function checkMaterial(s: SecretsShape): SecretsProblem[] {
  const out: SecretsProblem[] = [];
  for (const id of ["kubernetes", "etcd", "front-proxy"] as const) {
    const cert = checkPair(s.cas[id], ["cas", id], `the ${id} CA certificate`, out);
    if (cert && !cert.ca) out.push({ path: ["cas", id, "cert"], code: "secrets.not-ca", message: SECRETS_MESSAGES.notCa, hint: SECRETS_MESSAGES.hint });
  }
  const saKey = parseKey(s.serviceAccount.key, ["serviceAccount", "key"], out);
  let saPub: KeyObject | undefined;
  try {
    pemDecodeOne(s.serviceAccount.pub, [PEM_PUBLIC_KEY]);
    saPub = createPublicKey(s.serviceAccount.pub);
  } catch (e) {
    out.push({ path: ["serviceAccount", "pub"], code: "secrets.bad-pem", message: SECRETS_MESSAGES.badPem("public key", reason(e)), hint: SECRETS_MESSAGES.hint });
  }
  if (saKey && saPub) {
    const a = createPublicKey(saKey).export({ type: "spki", format: "der" });
    const b = saPub.export({ type: "spki", format: "der" });
    if (!a.equals(b)) out.push({ path: ["serviceAccount", "pub"], code: "secrets.key-mismatch", message: SECRETS_MESSAGES.saMismatch, hint: SECRETS_MESSAGES.keyMismatchHint });
  }
  for (const id of Object.keys(s.certs).sort()) checkPair(s.certs[id], ["certs", id], `certificate ${id}`, out);
  return out;
}
