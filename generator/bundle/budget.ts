/**
 * The cloud size budget (spec.cloud, model/clouds.ts) applied to every node's first-boot document:
 * cloud-init user-data (already in the form the cloud accepts, delivery.ts) or ignition.json. One rule
 * for everything that reports sizes (the CLI summary, REPORT.md, report.json): `fits` is what the cloud
 * counts against its limit; without a cloud every document fits and no limit is claimed.
 * A document that does not fit fails the generation with, per node, its largest parts and what would
 * help; past MAX_NAMED nodes the rest are summarised in one diagnostic (a 1,000-node cluster must not
 * print 1,000 errors). Ignition configs are never compressed here (Ignition reads them as JSON).
 * Guarantees: pure; nothing is written before the check, so a failing budget leaves the previous output
 * untouched; every node is measured before failing.
 */
import type { Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { isBootDoc, parseNodePath, placeOf, type NodePlace } from "../core/layout.js";
import { CLOUD_LIMITS, countedSize, type CloudId } from "../model/clouds.js";
import type { ClusterModel } from "../model/types.js";
import type { Artifact, Bundle } from "./artifact.js";
import { userDataForm, userDataText, type UserDataForm } from "./delivery.js";

export interface BootDocSize {
  node: string;
  path: string;
  /** bytes as written: the upload */
  bytes: number;
  /** bytes of the cloud-config text (or JSON) it carries */
  plainBytes: number;
  form: UserDataForm;
  compressed: boolean;
  /** what the cloud counts (bytes, base64 length or text length) */
  counted: number;
  /** null without a cloud */
  limit: number | null;
  fits: boolean;
}

/** Diagnostics naming one node each; the nodes after these are summed up in one more. */
const MAX_NAMED = 10;
const M = messages.budget;

const byteLength = (a: Artifact) => (typeof a.contents === "string" ? Buffer.byteLength(a.contents, "utf8") : a.contents.length);

/** The largest files of each node's tree among `artifacts`, the parts that make its document big. */
function largestParts(artifacts: readonly Artifact[], n = 4): Map<string, string[]> {
  const byNode = new Map<string, { path: string; bytes: number }[]>();
  for (const a of artifacts) {
    const p = placeOf(a);
    if (p?.kind !== "file") continue;
    if (!byNode.has(p.node)) byNode.set(p.node, []);
    byNode.get(p.node)!.push({ path: p.onNode!, bytes: byteLength(a) });
  }
  const parts = new Map<string, string[]>();
  for (const [node, files] of byNode) {
    const largest = files.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1)).slice(0, n);
    parts.set(node, largest.map((p) => `${p.path} (${p.bytes} bytes)`));
  }
  return parts;
}

/** One document's size as the cloud counts it; `place` is the artifact's (core/layout.ts). */
export function measureBootDoc(a: Artifact, place: NodePlace, cloudId: CloudId): BootDocSize {
  const cloud = CLOUD_LIMITS[cloudId];
  const bytes = byteLength(a);
  const form = place.doc === "user-data" ? userDataForm(a.contents) : "text";
  const plainBytes = form === "text" ? bytes : Buffer.byteLength(userDataText(a.contents), "utf8");
  const counted = countedSize(bytes, cloud.counts);
  const limit = Number.isFinite(cloud.limit) ? cloud.limit : null;
  return { node: place.node, path: a.path, bytes, plainBytes, form, compressed: form !== "text", counted, limit, fits: limit === null || counted <= limit };
}

/** A first-boot document measured, with its node's largest files when it does not fit (for the hint). */
export interface MeasuredDoc {
  size: BootDocSize;
  parts: string[];
}

/** Every first-boot document among `artifacts` (one node's batch, or a whole bundle), measured. */
export function measureBootDocs(artifacts: readonly Artifact[], cloudId: CloudId): MeasuredDoc[] {
  const sizes = artifacts.flatMap((a) => {
    const place = placeOf(a);
    return place && isBootDoc(place) ? [measureBootDoc(a, place, cloudId)] : [];
  });
  const parts = sizes.every((s) => s.fits) ? new Map<string, string[]>() : largestParts(artifacts);
  return sizes.map((size) => ({ size, parts: size.fits ? [] : (parts.get(size.node) ?? []) }));
}

/** The documents' sizes, sorted by path; throws the budget's UserError when any does not fit. */
export function checkBudget(docs: readonly MeasuredDoc[], model: Pick<ClusterModel, "cloud">): BootDocSize[] {
  const cloud = CLOUD_LIMITS[model.cloud];
  const sizes = docs.map((d) => d.size).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const over = docs.filter((d) => !d.size.fits).sort((a, b) => b.size.counted - a.size.counted || (a.size.node < b.size.node ? -1 : 1));
  if (over.length === 0) return sizes;
  const hint = (d: MeasuredDoc) => M.hint(d.parts, cloud.gzip !== "no", parseNodePath(d.size.path)?.kind === "ignition");
  const problems: Diagnostic[] = over.slice(0, MAX_NAMED).map((d) => ({
    severity: "error",
    code: "budget.too-large",
    path: ["spec", "cloud"],
    message: M.tooLarge(d.size.path, d.size.counted, cloud.label, d.size.compressed),
    hint: hint(d),
  }));
  const rest = over.slice(MAX_NAMED);
  if (rest.length > 0) {
    problems.push({ severity: "error", code: "budget.too-large", path: ["spec", "cloud"], message: M.more(rest.length, cloud.label, rest[0].size.counted, rest.map((d) => d.size.node)), hint: hint(rest[0]) });
  }
  throw new UserError(M.failed(over.length, cloud.label), problems);
}

/** The budget applied to a whole bundle: its sizes, or the UserError. */
export function applyBudget(bundle: Bundle, model: Pick<ClusterModel, "cloud">): { bundle: Bundle; sizes: BootDocSize[] } {
  return { bundle, sizes: checkBudget(measureBootDocs(bundle.artifacts, model.cloud), model) };
}
