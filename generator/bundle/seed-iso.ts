/**
 * withSeedIsos: Bundle → the same Bundle plus nodes/NODE/seed.iso for every node that has cloud-init
 * documents — a NoCloud seed (ISO 9660, volume id `cidata`, Rock Ridge and Joliet names) holding that
 * node's nodes/NODE/cloud-init/* files under their own names, byte for byte, with their modes (a
 * user-data written as base64 text for a cloud goes in as the gzip bytes it encodes: NoCloud reads gzip
 * but does not decode base64). Ignition nodes (nodes/NODE/ignition.json, no cloud-init/) get none.
 * Guarantees: pure; the image is mode 0600 and sensitive (user-data holds keys) and names its pieces
 * (bundle/artifact.ts: each document's bytes, given as bytes, are the very object it holds); every date inside
 * it is SEED_ISO_TIME, so the same documents always give the same bytes (a run at another time with
 * the same secrets writes an identical image).
 */
import { placeOf, seedIsoPath } from "../core/layout.js";
import { makeBundle, artifactBytes, type Artifact, type Bundle } from "./artifact.js";
import { noCloudUserData } from "./delivery.js";
import { isoImage, type IsoFile } from "./iso9660/image.js";

/** The NoCloud label cloud-init's ds-identify looks for (docs/sources.md#nocloud-seed-label) */
export const SEED_VOLUME_ID = "cidata";

/**
 * Every timestamp in a seed image: a fixed epoch, not the generation clock, so regenerating with the
 * same secrets file stays byte-identical. 1980-01-01 is also the earliest date a zip entry can hold.
 */
export const SEED_ISO_TIME = new Date("1980-01-01T00:00:00Z");

export function withSeedIsos(bundle: Bundle): Bundle {
  const byNode = new Map<string, IsoFile[]>();
  for (const a of bundle.artifacts) {
    const p = placeOf(a);
    if (p?.kind !== "cloud-init") continue;
    const files = byNode.get(p.node) ?? [];
    // NoCloud reads gzip but never base64: a cloud's base64 upload form goes in as its gzip bytes
    const contents = p.doc === "user-data" ? artifactBytes({ ...a, contents: noCloudUserData(a.contents) }) : artifactBytes(a);
    files.push({ name: p.doc!, contents, mode: a.mode });
    byNode.set(p.node, files);
  }
  const seeds: Artifact[] = [...byNode].map(([node, files]) => {
    const { bytes, pieces } = isoImage({ volumeId: SEED_VOLUME_ID, applicationId: "KUBESEED", time: SEED_ISO_TIME, files });
    return { path: seedIsoPath(node), mode: 0o600, contents: bytes, pieces, sensitive: true, node, kind: "seed-iso" };
  });
  return makeBundle([...bundle.artifacts, ...seeds]);
}
