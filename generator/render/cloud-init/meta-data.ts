/**
 * NoCloud `meta-data`: the instance id and the local host name. The instance id is derived from the
 * node name and a digest of its user-data, so a changed configuration is a new instance to
 * cloud-init (which then applies it) while an unchanged one is never re-run.
 * Guarantees: pure; the digest is passed in (hashing belongs to the caller's crypto).
 */
import { toYaml } from "../yaml.js";

export function instanceId(cluster: string, node: string, userDataDigestHex: string): string {
  return `kubeseed-${cluster}-${node}-${userDataDigestHex.slice(0, 12)}`;
}

export function renderMetaData(cluster: string, node: string, userDataDigestHex: string): string {
  return toYaml({ "instance-id": instanceId(cluster, node, userDataDigestHex), "local-hostname": node });
}
