/**
 * Per-node cloud-init documents from the node's resolved file tree: `user-data` (the whole tree in
 * write_files, so it holds keys: 0600), `meta-data` (instance id from the user-data digest) and
 * `network-config`, under nodes/NODE/cloud-init/. Files that embed PEMs travel as templates
 * (render/cloud-init/assembly.ts), PEM files as one DER pack (pem-pack.ts), and user-data is written in the form the profile's cloud accepts
 * (delivery.ts): text, gzip, or base64 of gzip.
 * Guarantees: pure; same inputs → same bytes; the instance id depends on the text rendering only.
 */
import { createHash } from "node:crypto";
import { cloudInitPath } from "../core/layout.js";
import { CLOUD_LIMITS } from "../model/clouds.js";
import { withAssembly } from "../render/cloud-init/assembly.js";
import { withPemPack } from "../render/cloud-init/pem-pack.js";
import { firstBootCommands } from "../render/cloud-init/runcmd.js";
import { renderMetaData } from "../render/cloud-init/meta-data.js";
import { renderNetworkConfig } from "../render/cloud-init/network-config.js";
import { renderUserData } from "../render/cloud-init/user-data.js";
import type { NodeFile, NodeRenderInput } from "../render/node-input.js";
import type { Artifact } from "./artifact.js";
import { deliverUserData } from "./delivery.js";

export function cloudInitArtifacts(input: NodeRenderInput, files: NodeFile[]): Artifact[] {
  const node = input.node.name;
  const delivered = withPemPack(withAssembly(files));
  const runcmd = firstBootCommands(input.model, input.node);
  const packed = renderUserData(input, delivered, { runcmd, pack: true });
  const userData = deliverUserData(packed, () => renderUserData(input, delivered, { runcmd, pack: false }), CLOUD_LIMITS[input.model.cloud]);
  const digest = createHash("sha256").update(packed).digest("hex");
  return [
    { path: cloudInitPath(node, "user-data"), mode: 0o600, contents: userData, sensitive: true, node, kind: "cloud-init" },
    { path: cloudInitPath(node, "meta-data"), mode: 0o644, contents: renderMetaData(input.model.name, node, digest), sensitive: false, node, kind: "cloud-init" },
    { path: cloudInitPath(node, "network-config"), mode: 0o644, contents: renderNetworkConfig(input), sensitive: false, node, kind: "cloud-init" },
  ];
}
