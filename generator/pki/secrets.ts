/**
 * The secrets bundle: every key, CA, token and issued certificate of one cluster, as a versioned YAML
 * file (`format: kubeseed.secrets/v1`) that is made once and reused by every later run.
 *
 * Layout (fixed order): header comment, format, cluster, cas {kubernetes, etcd, front-proxy, and
 * registry once an air-gapped profile needed it} each {cert, key} (key absent for a CA imported without
 * its key, `gen secrets import`), serviceAccount {key, pub}, bootstrapToken, encryptionKey, certs {<id sorted>: {specHash,
 * cert, key}}. PEMs are YAML block literals. A frozen fixture (test/fixtures/secrets-v1.yaml) pins it.
 *
 * Guarantees: pure (strings in, strings out; io/secrets-file.ts reads and writes the file);
 * serializeSecrets is deterministic; parseSecrets either returns a bundle whose PEMs all parse and
 * whose keys match their certificates, or throws ONE UserError carrying every problem as a Diagnostic
 * with file, line and path. Diagnostics never carry the file's text (no source line, no value): a
 * line of this file can be a piece of a private key. Does not check expiry (issueCerts does, with
 * its Clock); signatures and chains are checked by secrets-check.ts.
 */
import { isMap, isScalar, LineCounter, parseDocument, Scalar, visit, Document, type Node } from "yaml";
import { sortDiagnostics, type Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import type { CaId, CoreCaId } from "../plan/types.js";
import { CA_IDS, OPTIONAL_CA_IDS } from "./cert-rules.js";
import { messages } from "../core/messages.js";
import { checkMaterial, checkStructure, nameLike, type SecretsProblem } from "./secrets-check.js";
import { SECRETS_NOTICE } from "../core/generated.js";
import { plainYaml } from "../core/plain-yaml.js";

export const SECRETS_FORMAT = "kubeseed.secrets/v1";

/** PEM certificate + PEM private key */
export interface StoredKeyPair {
  cert: string;
  key: string;
}

/** A CA: its certificate, and its key unless it was imported without one (gen secrets import). */
export interface StoredCa {
  cert: string;
  key?: string;
}

export interface StoredCert extends StoredKeyPair {
  /** sha256 of everything that decides the certificate's content (pki/hash.ts specHash) */
  specHash: string;
}

export interface SecretsBundle {
  format: typeof SECRETS_FORMAT;
  cluster: string;
  /** kubeadm's three CAs always; the registry CA once a profile needed it; a key may be absent (imported without) */
  cas: Record<CoreCaId, StoredCa> & Partial<Record<CaId, StoredCa>>;
  serviceAccount: { key: string; pub: string };
  bootstrapToken: string;
  /** base64 of 32 random bytes (aescbc) */
  encryptionKey: string;
  certs: Record<string, StoredCert>;
}

const HEADER = (cluster: string) =>
  [
    ` kubeseed secrets of cluster "${cluster}" (${SECRETS_FORMAT}). ${SECRETS_NOTICE}`,
    " SECRET: CA private keys, service-account key, bootstrap token and encryption key.",
    " Keep this file safe (mode 0600, backed up, never committed unencrypted). kubeseed reuses it on",
    " every run; losing it means new CAs and re-provisioning every node.",
  ].join("\n");

/** A comment as yaml writes a document's commentBefore: '#' before each line that is not empty. */
const yamlComment = (text: string) => text.replace(/^(?!$)(?: $)?/gm, "#");

/** Deterministic text of `b`: fixed key order, certificate ids sorted, PEMs as block literals. */
export function serializeSecrets(b: SecretsBundle): string {
  const certs: Record<string, StoredCert> = {};
  for (const id of Object.keys(b.certs).sort()) {
    const c = b.certs[id];
    certs[id] = { specHash: c.specHash, cert: c.cert, key: c.key };
  }
  const cas: Record<string, StoredCa> = {};
  const pair = (ca: StoredCa): StoredCa => (ca.key === undefined ? { cert: ca.cert } : { cert: ca.cert, key: ca.key });
  for (const id of CA_IDS) cas[id] = pair(b.cas[id]);
  for (const id of OPTIONAL_CA_IDS) {
    const ca = b.cas[id];
    if (ca) cas[id] = pair(ca);
  }
  const data = {
    format: SECRETS_FORMAT,
    cluster: b.cluster,
    cas,
    serviceAccount: { key: b.serviceAccount.key, pub: b.serviceAccount.pub },
    bootstrapToken: b.bootstrapToken,
    encryptionKey: b.encryptionKey,
    certs,
  };
  // PEMs and tokens as kubeseed makes them: written directly (yaml's bytes, a tenth of its time)
  const fast = plainYaml(data);
  if (fast !== undefined) return `${yamlComment(HEADER(b.cluster))}\n\n${fast}`;
  const doc = new Document(data);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === "string" && node.value.includes("\n")) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  doc.commentBefore = HEADER(b.cluster);
  return doc.toString({ lineWidth: 0, indent: 2 });
}

/** Offset of the deepest node on `path` (the key of the last pair found), for locating a problem. */
function offsetOf(doc: Document, path: readonly (string | number)[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
    if (!pair) break;
    offset = (pair.key as Node).range?.[0] ?? offset;
    node = pair.value;
  }
  return offset;
}

/** The path of the deepest mapping entry whose key or value spans `offset` (to name a broken line's field). */
function fieldAt(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  while (isMap(node)) {
    const pair = node.items.find((p) => {
      const start = (p.key as Node | null)?.range?.[0] ?? Infinity;
      const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2] ?? -1;
      return start <= offset && offset <= end;
    });
    const key = pair && isScalar(pair.key) ? nameLike(String(pair.key.value)) : undefined;
    if (!pair || key === undefined) break;
    path.push(key);
    node = pair.value;
  }
  return path;
}

/** A problem at `offset`: the place only, never the line's text. */
function located(file: string, lc: LineCounter, offset: number, p: SecretsProblem): Diagnostic {
  const { line, col } = lc.linePos(offset);
  return { severity: "error", code: p.code, path: p.path, message: p.message, hint: p.hint, loc: { file, line, col } };
}

function fail(file: string, diags: Diagnostic[]): never {
  throw new UserError(messages.secrets.parseFailed(file, diags.length), sortDiagnostics(diags));
}

/** Parses and validates a secrets file's text (`file` only names it in diagnostics). See the header. */
export function parseSecrets(text: string, file: string): SecretsBundle {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (p: SecretsProblem) => located(file, lc, offsetOf(doc, p.path), p);
  if (doc.errors.length > 0) {
    fail(
      file,
      doc.errors.map((e) => located(file, lc, e.pos[0], { path: fieldAt(doc, e.pos[0]), code: "secrets.yaml", message: messages.secrets.yamlSyntax(e.code), hint: messages.secrets.hint })),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch {
    fail(file, [at({ path: [], code: "secrets.yaml", message: messages.secrets.yamlSyntax("BAD_ALIAS"), hint: messages.secrets.hint })]);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(file, [at({ path: [], code: "secrets.not-a-mapping", message: messages.secrets.notAMapping })]);
  }
  const format = (value as Record<string, unknown>).format;
  if (format === undefined) fail(file, [at({ path: [], code: "secrets.format", message: messages.secrets.missingFormat })]);
  if (format !== SECRETS_FORMAT) {
    const problem = { path: ["format"], code: "secrets.format", message: messages.secrets.unknownFormat(nameLike(format), SECRETS_FORMAT), hint: messages.secrets.unknownFormatHint };
    fail(file, [at(problem)]);
  }
  const structure = checkStructure(value);
  if (!structure.value) fail(file, structure.problems.map(at));
  const material = checkMaterial(structure.value);
  if (material.length > 0) fail(file, material.map(at));
  const s = structure.value;
  return {
    format: SECRETS_FORMAT,
    cluster: s.cluster,
    cas: s.cas,
    serviceAccount: s.serviceAccount,
    bootstrapToken: s.bootstrapToken,
    encryptionKey: s.encryptionKey,
    certs: s.certs,
  };
}
