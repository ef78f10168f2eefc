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
import { CLOUD_LIMITS, countedSize, type CloudId } from "../model/clouds.js";
import type { ClusterModel } from "../model/types.js";
import { artifactBytes, type Artifact, type Bundle } from "./artifact.js";
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
const isBootDoc = (p: string) => /^nodes\/[^/]+\/(cloud-init\/user-data|ignition\.json)$/.test(p);

/** The largest files of a node's tree, the parts that make its document big. */
function largestParts(bundle: Bundle, node: string, n = 4): string[] {
  const prefix = `nodes/${node}/files`;
  return bundle.artifacts
    .filter((a) => a.path.startsWith(`${prefix}/`))
    .map((a) => ({ path: a.path.slice(prefix.length), bytes: artifactBytes(a).length }))
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
    .slice(0, n)
    .map((p) => `${p.path} (${p.bytes} bytes)`);
}

/** One document's size as the cloud counts it. */
export function measureBootDoc(a: Artifact, cloudId: CloudId): BootDocSize {
  const cloud = CLOUD_LIMITS[cloudId];
  const bytes = artifactBytes(a).length;
  const form = a.path.endsWith("/user-data") ? userDataForm(a.contents) : "text";
  const plainBytes = form === "text" ? bytes : Buffer.byteLength(userDataText(a.contents), "utf8");
  const counted = countedSize(bytes, cloud.counts);
  const limit = Number.isFinite(cloud.limit) ? cloud.limit : null;
  return { node: a.path.split("/")[1], path: a.path, bytes, plainBytes, form, compressed: form !== "text", counted, limit, fits: limit === null || counted <= limit };
}

export function applyBudget(bundle: Bundle, model: ClusterModel): { bundle: Bundle; sizes: BootDocSize[] } {
  const cloud = CLOUD_LIMITS[model.cloud];
  const sizes = bundle.artifacts.filter((a) => isBootDoc(a.path)).map((a) => measureBootDoc(a, model.cloud));
  const over = sizes.filter((s) => !s.fits).sort((a, b) => b.counted - a.counted || (a.node < b.node ? -1 : 1));
  if (over.length === 0) return { bundle, sizes };
  const hint = (s: BootDocSize) => M.hint(largestParts(bundle, s.node), cloud.gzip !== "no", s.path.endsWith("/ignition.json"));
  const problems: Diagnostic[] = over.slice(0, MAX_NAMED).map((s) => ({
    severity: "error",
    code: "budget.too-large",
    path: ["spec", "cloud"],
    message: M.tooLarge(s.path, s.counted, cloud.label, s.compressed),
    hint: hint(s),
  }));
  const rest = over.slice(MAX_NAMED);
  if (rest.length > 0) {
    problems.push({ severity: "error", code: "budget.too-large", path: ["spec", "cloud"], message: M.more(rest.length, cloud.label, rest[0].counted, rest.map((s) => s.node)), hint: hint(rest[0]) });
  }
  throw new UserError(M.failed(over.length, cloud.label), problems);
}
