/**
 * The output tree, in one place: every path under output/NAME/ is built here, and every path read back
 * (a previous output's manifest, an artifact made without its place) is parsed here.
 *
 *   nodes/NODE/files/<on-node path>               the node's tree as its first boot lays it down
 *   nodes/NODE/cloud-init/{user-data,meta-data,network-config}   its cloud-init documents
 *   nodes/NODE/ignition.json                      or its Ignition config
 *   nodes/NODE/seed.iso, nodes/NODE.tar.gz        what --format derives from them
 *   pki/, kubeconfigs/, registry/, load-balancer/, join-info.yaml   the operator's material
 *   REPORT.md, report.json, manifest.json         what describes the run
 *
 * A node artifact carries its place as fields (`node`, `kind`); `placeOf` reads them, or the path when an
 * artifact was made without them (a test, a caller of the API).
 * Guarantees: pure; building a path and parsing it back give the same node, kind and on-node path.
 */

/**
 * What a node's artifact is: a file of its tree, a cloud-init document, its Ignition config, a --format
 * derivative, or something else below nodes/NODE/ (a file kubeseed did not write, read back from disk).
 */
export type NodeKind = "file" | "cloud-init" | "ignition" | "seed-iso" | "archive" | "other";

/** The cloud-init documents kubeseed writes, each under its own file name (also inside the NoCloud seed ISO). */
export type CloudInitDoc = "user-data" | "meta-data" | "network-config";

/** Where one node artifact sits: its node, its kind, and the part of its path that kind needs. */
export interface NodePlace {
  node: string;
  kind: NodeKind;
  /** the path relative to nodes/NODE/ ("" for the node's archive, which sits beside that folder) */
  rel: string;
  /** kind "file": the absolute path on the node */
  onNode?: string;
  /** kind "cloud-init": the document's file name */
  doc?: string;
}

/** The output's own files and the operator's folders, relative to output/NAME/. */
export const OUTPUT = {
  report: "REPORT.md",
  reportJson: "report.json",
  manifest: "manifest.json",
  joinInfo: "join-info.yaml",
  pki: "pki",
  kubeconfigs: "kubeconfigs",
  registry: "registry",
  loadBalancer: "load-balancer",
} as const;

/** The cluster CA's certificate in the output (its presence marks an output that already has a CA). */
export const OUTPUT_CA_CERT = `${OUTPUT.pki}/ca.crt`;

const NODES = "nodes";

/** nodes/NODE: the node's folder. */
export const nodeDir = (node: string): string => `${NODES}/${node}`;

/** nodes/NODE/files/<on-node path>; `onNode` is absolute (/etc/…). */
export const nodeFilePath = (node: string, onNode: string): string => `${nodeDir(node)}/files${onNode}`;

/** nodes/NODE/cloud-init/DOC */
export const cloudInitPath = (node: string, doc: CloudInitDoc): string => `${nodeDir(node)}/cloud-init/${doc}`;

/** nodes/NODE/ignition.json */
export const ignitionPath = (node: string): string => `${nodeDir(node)}/ignition.json`;

/** nodes/NODE/seed.iso */
export const seedIsoPath = (node: string): string => `${nodeDir(node)}/seed.iso`;

/** nodes/NODE.tar.gz */
export const nodeArchivePath = (node: string): string => `${nodeDir(node)}.tar.gz`;

const IN_NODE = /^nodes\/([^/]+)\/(.+)$/;
const NODE_ARCHIVE = /^nodes\/([^/]+)\.tar\.gz$/;

/** The place of `rel` (relative to nodes/NODE/) of a node artifact of `kind`. */
function place(node: string, kind: NodeKind, rel: string): NodePlace {
  if (kind === "file") return { node, kind, rel, onNode: rel.slice("files".length) };
  if (kind === "cloud-init") return { node, kind, rel, doc: rel.slice("cloud-init/".length) };
  return { node, kind, rel };
}

function kindOf(rel: string): NodeKind {
  if (rel.startsWith("files/")) return "file";
  if (/^cloud-init\/[^/]+$/.test(rel)) return "cloud-init";
  if (rel === "ignition.json") return "ignition";
  if (rel === "seed.iso") return "seed-iso";
  return "other";
}

/** Parses an output path: the node place it names, or undefined for the operator's and the run's files. */
export function parseNodePath(path: string): NodePlace | undefined {
  const archive = NODE_ARCHIVE.exec(path);
  if (archive) return { node: archive[1], kind: "archive", rel: "" };
  const m = IN_NODE.exec(path);
  return m ? place(m[1], kindOf(m[2]), m[2]) : undefined;
}

/** The fields a node artifact carries (Artifact.node, Artifact.kind). */
export interface Placed {
  path: string;
  node?: string;
  kind?: NodeKind;
}

/** An artifact's node place: from its `node` and `kind` fields when it has them, else from its path. */
export function placeOf(a: Placed): NodePlace | undefined {
  if (a.node === undefined || a.kind === undefined) return parseNodePath(a.path);
  return a.kind === "archive" ? { node: a.node, kind: a.kind, rel: "" } : place(a.node, a.kind, a.path.slice(nodeDir(a.node).length + 1));
}

/** True for a node's first-boot document: its cloud-init user-data or its Ignition config. */
export function isBootDoc(p: NodePlace | undefined): boolean {
  return p?.kind === "ignition" || (p?.kind === "cloud-init" && p.doc === "user-data");
}
