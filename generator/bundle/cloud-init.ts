/**
 * Per-node cloud-init documents from the node's resolved file tree: `user-data` (the whole tree in
 * write_files, so it holds keys: 0600), `meta-data` (instance id from the user-data digest) and
 * `network-config`, under nodes/NODE/cloud-init/. Guarantees: pure; same inputs → same bytes.
 */
import { createHash } from "node:crypto";
import { firstBootCommands } from "../render/cloud-init/runcmd.js";
import { renderMetaData } from "../render/cloud-init/meta-data.js";
import { renderNetworkConfig } from "../render/cloud-init/network-config.js";
import { renderUserData, type NodeFile } from "../render/cloud-init/user-data.js";
import type { NodeRenderInput } from "../render/node-input.js";
import type { Artifact } from "./artifact.js";

export function cloudInitArtifacts(input: NodeRenderInput, files: NodeFile[]): Artifact[] {
  const base = `nodes/${input.node.name}/cloud-init`;
  const userData = renderUserData(input, files, { runcmd: firstBootCommands(input.model, input.node) });
  const digest = createHash("sha256").update(userData).digest("hex");
  return [
    { path: `${base}/user-data`, mode: 0o600, contents: userData, sensitive: true },
    { path: `${base}/meta-data`, mode: 0o644, contents: renderMetaData(input.model.name, input.node.name, digest), sensitive: false },
    { path: `${base}/network-config`, mode: 0o644, contents: renderNetworkConfig(input), sensitive: false },
  ];
}
