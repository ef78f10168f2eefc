/**
 * The cloud size budget (spec.cloud, model/clouds.ts) applied to every node's first-boot document:
 * cloud-init user-data, or ignition.json. A document that does not fit is gzip-compressed where the
 * cloud takes binary user-data (cloud-init recognises gzip by its magic bytes; the artifact keeps its
 * path); one that still does not fit fails the generation with, per node, its largest parts and what
 * would help. Ignition configs are never compressed here (Ignition reads them as JSON).
 * Guarantees: pure and deterministic (gzip at level 9 with no name and mtime 0); nothing is written
 * before the check, so a failing budget leaves the previous output untouched; every node is checked
 * before failing, so the error lists them all.
 */
import { gzipSync } from "node:zlib";
import type { Diagnostic } from "../core/diagnostics.js";
import { UserError } from "../core/errors.js";
import { messages } from "../core/messages.js";
import { CLOUD_LIMITS, countedSize } from "../model/clouds.js";
import type { ClusterModel } from "../model/types.js";
import { artifactBytes, makeBundle, type Artifact, type Bundle } from "./artifact.js";

export interface BootDocSize {
  node: string;
  path: string;
  /** bytes as written */
  bytes: number;
  /** bytes before compression */
  plainBytes: number;
  compressed: boolean;
  /** what the cloud counts (raw, or base64 length) */
  counted: number;
  limit: number;
}

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

export function applyBudget(bundle: Bundle, model: ClusterModel): { bundle: Bundle; sizes: BootDocSize[] } {
  const cloud = CLOUD_LIMITS[model.cloud];
  const sizes: BootDocSize[] = [];
  const problems: Diagnostic[] = [];
  const artifacts: Artifact[] = bundle.artifacts.map((a) => {
    if (!isBootDoc(a.path)) return a;
    const node = a.path.split("/")[1];
    const plain = artifactBytes(a);
    let out = a;
    let bytes = plain;
    const fits = (b: Uint8Array) => countedSize(b.length, cloud.measure) <= cloud.limit;
    if (!fits(plain) && cloud.binary && a.path.endsWith("/user-data")) {
      bytes = gzipSync(plain, { level: 9 });
      out = { ...a, contents: bytes };
    }
    const counted = countedSize(bytes.length, cloud.measure);
    sizes.push({ node, path: a.path, bytes: bytes.length, plainBytes: plain.length, compressed: bytes !== plain, counted, limit: cloud.limit });
    if (!fits(bytes)) {
      const message = M.tooLarge(a.path, counted, cloud.label, bytes !== plain);
      problems.push({ severity: "error", code: "budget.too-large", path: ["spec", "cloud"], message, hint: M.hint(largestParts(bundle, node), cloud.binary) });
    }
    return out;
  });
  if (problems.length > 0) throw new UserError(M.failed(problems.length, cloud.label), problems);
  return { bundle: makeBundle(artifacts), sizes };
}
