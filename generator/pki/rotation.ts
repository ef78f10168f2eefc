/**
 * A CA rotation in progress (`gen secrets rotate-ca`): the new CA that will replace the current one,
 * and the step of kubeadm's manual rotation the output is at. Kept in its own file next to the secrets
 * file (secrets/NAME.rotation.yaml, mode 0600: it holds the new CA's key), format
 * `kubeseed.rotation/v1`, so the secrets file format stays as it is; io/rotation-file.ts reads and
 * writes it, a normal `gen` renders what its step says and never starts one.
 *
 * Steps (docs/day-two.md): "trust-both" — every trust file and kubeconfig carries both CAs, the old one
 * first and still signing; the later steps ("sign-new", "drop-old") are not implemented yet.
 * Only the cluster CA (kubernetes) rotates for now.
 * Guarantees: pure (keys and time through the deps passed in); parseRotation returns a rotation whose
 * new CA certificate is a CA of the same CN as the current one and whose key matches it, or throws ONE
 * UserError naming the file and every problem.
 */
import { X509Certificate } from "node:crypto";
import { parse, stringify } from "yaml";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import type { KeyAlgorithm } from "../profile/schema.js";
import { createCa, type CaDeps } from "./authority.js";
import { discoveryHash } from "./hash.js";
import { parsePrivateKeyPem } from "./keys.js";
import type { SecretsBundle, StoredKeyPair } from "./secrets.js";
import { GENERATED_NOTICE } from "../core/generated.js";

export const ROTATION_FORMAT = "kubeseed.rotation/v1";
export const ROTATION_STEPS = ["trust-both"] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface Rotation {
  format: typeof ROTATION_FORMAT;
  cluster: string;
  ca: "kubernetes";
  step: RotationStep;
  /** the CA that replaces the current one */
  next: StoredKeyPair;
}

const R = messages.rotateCa;

/** Step 1: a new cluster CA of the profile's algorithm and validity, made now. */
export async function startRotation(secrets: SecretsBundle, opts: { keyAlgorithm: KeyAlgorithm; caValidityHours: number }, deps: CaDeps): Promise<Rotation> {
  const ca = await createCa("kubernetes", { keyAlgorithm: opts.keyAlgorithm, validityHours: opts.caValidityHours }, deps);
  return { format: ROTATION_FORMAT, cluster: secrets.cluster, ca: "kubernetes", step: "trust-both", next: { cert: ca.certPem, key: ca.keyPem } };
}

export function serializeRotation(r: Rotation): string {
  const header = `# kubeseed CA rotation of cluster "${r.cluster}" (${ROTATION_FORMAT}). ${GENERATED_NOTICE}\n# SECRET: the new CA's private key. Keep it with the secrets file.\n`;
  return header + stringify({ format: r.format, cluster: r.cluster, ca: r.ca, step: r.step, next: { cert: r.next.cert, key: r.next.key } }, { lineWidth: 0, blockQuote: "literal" });
}

/** The rotation in `text` (file names it in errors), checked against the cluster's secrets. */
export function parseRotation(text: string, file: string, secrets: SecretsBundle): Rotation {
  const problems: string[] = [];
  let doc: Record<string, unknown> = {};
  try {
    const v = parse(text) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) doc = v as Record<string, unknown>;
    else problems.push(R.notMapping);
  } catch (e) {
    problems.push((e as Error).message.split("\n")[0]);
  }
  if (problems.length === 0) {
    if (doc.format !== ROTATION_FORMAT) problems.push(R.badField("format", ROTATION_FORMAT));
    if (doc.cluster !== secrets.cluster) problems.push(R.badField("cluster", secrets.cluster));
    if (doc.ca !== "kubernetes") problems.push(R.badField("ca", "kubernetes"));
    if (!(ROTATION_STEPS as readonly unknown[]).includes(doc.step)) problems.push(R.badField("step", ROTATION_STEPS.join(" | ")));
    const next = doc.next as Partial<StoredKeyPair> | undefined;
    try {
      const cert = new X509Certificate(String(next?.cert));
      const key = parsePrivateKeyPem(String(next?.key));
      if (!cert.ca || !cert.checkPrivateKey(key.key) || cert.subject !== new X509Certificate(secrets.cas.kubernetes.cert).subject) problems.push(R.badCa);
    } catch {
      problems.push(R.badCa);
    }
  }
  if (problems.length) throw new UserError(R.badFile(file, problems));
  return doc as unknown as Rotation;
}

/** While a rotation trusts both: the CA bundle (current first) and the discovery hashes of both. */
export function trustedCas(secrets: SecretsBundle, rotation: Rotation | undefined): { bundle: string; hashes: string[] } {
  const current = secrets.cas.kubernetes.cert;
  if (!rotation) return { bundle: current, hashes: [discoveryHash(current)] };
  return { bundle: current + rotation.next.cert, hashes: [discoveryHash(current), discoveryHash(rotation.next.cert)] };
}
