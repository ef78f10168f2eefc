/**
 * output/NAME/report.json and REPORT.md: what the operator has in hand after `gen` — the nodes with
 * their first-boot document size against the cloud budget, every certificate (subject, issuer,
 * not-after, who holds it), every secret and the nodes that receive it, the images, the Kubernetes
 * version and the commands to run next.
 * Holders are read from the PLAN (which file carries which source), never from the rendered bytes, so
 * the report states the design; test/bundle/report.test.ts checks it against the bytes.
 * Guarantees: pure and deterministic (certificates and secrets sorted, nodes in profile order).
 */
import { clusterImages } from "../model/images.js";
import { CLOUD_LIMITS } from "../model/clouds.js";
import { isIgnitionOs } from "../render/ignition/os.js";
import { parsedCertificate } from "../pki/pem.js";
import { certificateValidity, firstCertDer } from "../pki/der-read.js";
import { certificateNames } from "../pki/der-names.js";
import type { SecretsBundle } from "../pki/secrets.js";
import type { ClusterPlan, FileSource, KubeconfigRequest, PlannedFile } from "../plan/types.js";
import { messages } from "../core/messages.js";
import { OUTPUT } from "../core/layout.js";
import type { Artifact } from "./artifact.js";
import type { BootDocSize } from "./budget.js";
import { reportMarkdown } from "./report-md.js";
import type { Changes } from "./changes.js";

export const OPERATOR = "(operator)";

export interface Report {
  format: "kubeseed.report/v1";
  cluster: string;
  kubernetesVersion: string;
  endpoint: string;
  cloud: string;
  /** where the cloud's limit is documented, and how to upload each node's user-data there */
  upload: { source: string | null; how: string };
  /** join: how the node joins — kubeadm init, the bootstrap token, or its pre-issued credential (bundle/join-policy.ts) */
  nodes: { name: string; role: string; init: boolean; join: "init" | "token" | "credential"; address: string; publicAddress?: string; os: string; format: string; document: string; bytes: number; form: string; compressed: boolean; counted: number; limit: number | null; fits: boolean }[];
  certificates: { id: string; subject: string; issuer: string; notAfter: string; holders: string[] }[];
  secrets: { name: string; holders: string[] }[];
  images: { count: number; manifest: string | null; registry: string | null };
  next: string[];
  /** what the generation that wrote this output changed (bundle/changes.ts) */
  changes: Changes;
  /** certificates and CAs inside the renewal window (pki/expiry.ts) */
  warnings: string[];
}

type Holders = Map<string, Set<string>>;

function add(m: Holders, key: string, holder: string) {
  if (!m.has(key)) m.set(key, new Set());
  m.get(key)!.add(holder);
}

/** Every (holder, file) of the plan: each node's files, and the operator's. */
function placed(plan: ClusterPlan): [string, PlannedFile][] {
  return [...plan.nodes.flatMap((n) => n.files.map((f): [string, PlannedFile] => [n.node.name, f])), ...plan.operator.map((f): [string, PlannedFile] => [OPERATOR, f])];
}

const R = messages.report;
const O = messages.options.report;

function secretOf(kubeconfigs: ReadonlyMap<string, KubeconfigRequest>, s: FileSource): string | undefined {
  if (s.kind === "ca-key") return R.caKey(s.ca);
  if (s.kind === "sa-key") return R.saKey;
  if (s.kind === "encryption-config") return R.encryptionKey;
  if (s.kind === "render" && s.renderer === "kubeadm-config") return R.bootstrapToken;
  if (s.kind === "kubeconfig" && kubeconfigs.get(s.kubeconfigId)?.bootstrapToken) return R.bootstrapToken;
  return undefined;
}

const oneLine = (name: string) => name.split("\n").join(", ");

/** Subject, issuer (as X509Certificate prints them) and notAfter: from the DER for the names kubeseed issues, else from a full parse. */
function certFacts(pem: string): { subject: string; issuer: string; notAfter: Date } {
  const der = firstCertDer(pem);
  const names = certificateNames(der);
  if (names) return { ...names, notAfter: certificateValidity(der).notAfter };
  const c = parsedCertificate(pem);
  return { subject: c.subject, issuer: c.issuer, notAfter: new Date(c.validTo) };
}
const sorted = (set: Set<string>) => [...set].sort((a, b) => (a === OPERATOR ? 1 : b === OPERATOR ? -1 : a < b ? -1 : a > b ? 1 : 0));

/** Who holds each certificate (ca/<id> for CAs) and each secret, read from the plan; holders sorted, the operator last. */
export function holders(plan: ClusterPlan): { certs: Map<string, string[]>; secrets: Map<string, string[]> } {
  const certHolders: Holders = new Map();
  const secretHolders: Holders = new Map();
  const kubeconfigs = new Map(plan.kubeconfigs.map((k) => [k.id, k]));
  for (const [holder, f] of placed(plan)) {
    const s = f.source;
    if (s.kind === "cert") add(certHolders, s.certId, holder);
    if (s.kind === "ca-cert" || s.kind === "ca-signer") add(certHolders, `ca/${s.ca}`, holder);
    if (s.kind === "kubeconfig") {
      const k = kubeconfigs.get(s.kubeconfigId);
      if (k?.certId) add(certHolders, k.certId, holder);
    }
    const secret = secretOf(kubeconfigs, s);
    if (secret) add(secretHolders, secret, holder);
  }
  const done = (m: Holders) => new Map([...m.entries()].map(([k, v]) => [k, sorted(v)]));
  return { certs: done(certHolders), secrets: done(secretHolders) };
}

export function buildReport(plan: ClusterPlan, secrets: SecretsBundle, sizes: BootDocSize[], changes: Changes, warnings: string[] = []): Report {
  const model = plan.model;
  const { certs: certHolders, secrets: secretHolders } = holders(plan);
  const pems: [string, string][] = [
    ...Object.entries(secrets.cas).map(([id, ca]): [string, string] => [`ca/${id}`, ca!.cert]),
    ...Object.entries(secrets.certs).map(([id, c]): [string, string] => [id, c.cert]),
  ];
  const certificates = pems
    .filter(([id]) => certHolders.has(id))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, pem]) => {
      const { subject, issuer, notAfter } = certFacts(pem);
      return { id, subject: oneLine(subject), issuer: oneLine(issuer), notAfter: notAfter.toISOString(), holders: certHolders.get(id)! };
    });
  const cloud = CLOUD_LIMITS[model.cloud];
  const sizeOf = new Map(sizes.map((s) => [s.node, s]));
  const nodes = model.nodes.map((n) => {
    const size = sizeOf.get(n.name)!;
    return {
      name: n.name, role: n.role, init: n.init, join: n.init ? ("init" as const) : model.join.method, address: n.address, ...(n.publicAddress ? { publicAddress: n.publicAddress } : {}), os: n.os,
      format: isIgnitionOs(n.os) ? "ignition" : "cloud-init", document: size.path, bytes: size.bytes, form: size.form, compressed: size.compressed,
      counted: size.counted, limit: size.limit, fits: size.fits,
    };
  });
  const init = model.nodes.find((n) => n.init)!;
  const airgap = model.registry.mode === "airgap";
  const debianNodes = nodes.some((n) => n.format === "cloud-init");
  const next = [
    R.keepSecrets,
    ...(airgap ? [R.mirrorImages(model.registry.authority)] : []),
    ...(airgap && debianNodes ? [R.mirrorPackages(model.registry.host)] : []),
    ...(model.etcd.topology === "external" ? [O.etcdFirst(model.etcd.members, init.name)] : []),
    R.bootFirst(init.name, nodes.find((x) => x.name === init.name)!.document),
    R.watch,
    R.kubectl,
    model.admin.passwordHash === undefined ? O.passwordLocked(model.admin.name) : O.passwordSet(model.admin.name),
    ...(model.ingress ? [O.loadBalancer(model.ingress.httpNodePort, model.ingress.httpsNodePort)] : []),
    ...(model.pki.externalCA ? [O.externalCa] : []),
    ...(model.join.method === "credential" ? [R.lateJoin(model.join.tokenExpiredAt!.slice(0, 10))] : []),
    ...(model.caRotation ? [messages.rotateCa.next] : []),
  ];
  return {
    format: "kubeseed.report/v1",
    cluster: model.name,
    kubernetesVersion: model.kubernetes.version.full,
    endpoint: model.endpoint.url,
    cloud: cloud.label,
    upload: { source: cloud.source || null, how: messages.budget.upload[model.cloud] },
    nodes,
    certificates,
    secrets: [...secretHolders.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, h]) => ({ name, holders: h })),
    images: { count: clusterImages(model).length, manifest: airgap ? `${OUTPUT.registry}/images.json` : null, registry: airgap ? model.registry.repository : null },
    next,
    changes,
    warnings,
  };
}

export function reportArtifacts(report: Report): Artifact[] {
  return [
    { path: OUTPUT.reportJson, mode: 0o644, contents: JSON.stringify(report, null, 2) + "\n", sensitive: false },
    { path: OUTPUT.report, mode: 0o644, contents: reportMarkdown(report), sensitive: false },
  ];
}
