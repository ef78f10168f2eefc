/**
 * Which archives a `--format tar.gz|zip|all` run writes, and what goes in each (the bytes are made by
 * io/archive.ts): the whole output as output/NAME.tar.gz and output/NAME.zip (entries under NAME/),
 * and per node output/NAME/nodes/NODE.tar.gz with only that node's material (its files tree, its
 * first-boot documents, its seed ISO; entries under NODE/) — never the operator's pki/, kubeconfigs/,
 * registry/ or the secrets file, which live outside nodes/NODE/.
 * `outputForms` says what a `--format` asks for (seed ISOs, node archives, whole-output archives), so
 * the CLI only carries it out.
 * Guarantees: pure; node archives are not repeated inside the whole-output archives.
 */
import { nodeArchivePath, placeOf } from "../core/layout.js";
import type { Artifact, Bundle } from "./artifact.js";

export type ArchiveFormat = "tar.gz" | "zip";

/** What `--format` makes besides the directory. */
export interface OutputForms {
  /** a NoCloud seed.iso per cloud-init node */
  isos: boolean;
  /** nodes/NODE.tar.gz per node */
  nodeArchives: boolean;
  /** the whole output as NAME.tar.gz and/or NAME.zip beside it */
  whole: ArchiveFormat[];
}

export function outputForms(format: "dir" | "iso" | ArchiveFormat | "all"): OutputForms {
  const whole: ArchiveFormat[] = format === "all" ? ["tar.gz", "zip"] : format === "tar.gz" || format === "zip" ? [format] : [];
  return { isos: format === "iso" || format === "all", nodeArchives: whole.length > 0, whole };
}

/** The artifact of a node's archive, once its bytes are made (0600: it holds the node's keys). */
export function nodeArchiveArtifact(n: NodeArchive, contents: Uint8Array): Artifact {
  return { path: n.path, mode: 0o600, contents, sensitive: true, node: n.node, kind: "archive" };
}

export interface NodeArchive {
  node: string;
  /** path of the archive inside the output directory */
  path: string;
  /** the node's artifacts, paths relative to nodes/NODE/ */
  artifacts: Artifact[];
}

export function nodeArchives(bundle: Bundle): NodeArchive[] {
  const byNode = new Map<string, Artifact[]>();
  for (const a of bundle.artifacts) {
    const p = placeOf(a);
    if (!p || p.kind === "archive") continue;
    if (!byNode.has(p.node)) byNode.set(p.node, []);
    byNode.get(p.node)!.push({ ...a, path: p.rel });
  }
  return [...byNode.entries()].map(([node, artifacts]) => ({ node, path: nodeArchivePath(node), artifacts }));
}

/** The whole output's entries: everything but the node archives themselves. */
export function wholeOutput(bundle: Bundle): Artifact[] {
  return bundle.artifacts.filter((a) => placeOf(a)?.kind !== "archive");
}
