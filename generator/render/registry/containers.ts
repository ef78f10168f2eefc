/**
 * The CRI-O / podman flavour of the air gap (seed 001, docs/sources.md#containers-image-config), for hosts that pull with
 * containers/image instead of containerd — the ALT/CRI-O nodes of seed 001, the image maker, the
 * registry host. Installed from output/NAME/registry/containers/ into /etc/containers/:
 * - registries.conf (v2): every upstream registry of the image list rewritten to
 *   <registry>/<prefix> (the layout mirror.sh pushes), short names refused;
 * - certs.d/<registry>/ca.crt: the registry CA (tls: ca) — planned in plan/registry.ts;
 * - with spec.registry.signatures: policy.json rejecting everything not GPG-signed by the key, the
 *   registry itself and every rewritten upstream (remapIdentity: the signature names the registry's
 *   reference), and registries.d/kubeseed.yaml reading signatures from the lookaside.
 * Guarantees: pure; upstream hosts in sorted order.
 */
import type { ClusterModel } from "../../model/types.js";
import { upstreamHosts } from "../../plan/registry.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";

export function renderRegistriesConf(model: ClusterModel): string {
  const r = model.registry;
  const insecure = r.tls === "insecure";
  const entry = (prefix: string, location: string) => `[[registry]]\nprefix = "${prefix}"\nlocation = "${location}"\ninsecure = ${insecure}\n`;
  return `${GENERATED_HEADER}# containers-registries.conf(5) v2 for podman / CRI-O hosts of cluster ${model.name}: every upstream registry
# is read from ${r.repository} (pulls only), nothing from the internet.
unqualified-search-registries = []
short-name-mode = "enforcing"

${[...upstreamHosts(model).map((h) => entry(h, r.repository)), entry(r.authority, r.authority)].join("\n")}`;
}

export function renderPolicyJson(model: ClusterModel): string {
  const r = model.registry;
  if (!r.signatures) throw new Error("internal: policy.json is planned only with spec.registry.signatures");
  const signedBy = { type: "signedBy", keyType: "GPGKeys", keyPath: r.signatures.keyPath };
  const docker: Record<string, unknown[]> = { [r.authority]: [signedBy] };
  for (const host of upstreamHosts(model)) {
    docker[host] = [{ ...signedBy, signedIdentity: { type: "remapIdentity", prefix: host, signedPrefix: r.repository } }];
  }
  const policy = { default: [{ type: "reject" }], transports: { docker, "docker-daemon": { "": [{ type: "insecureAcceptAnything" }] } } };
  return JSON.stringify(policy, null, 2) + "\n";
}

export function renderRegistriesD(model: ClusterModel): string {
  const r = model.registry;
  if (!r.signatures) throw new Error("internal: registries.d is planned only with spec.registry.signatures");
  return `${GENERATED_HEADER}# containers-registries.d(5): where podman / CRI-O read the signatures of ${r.authority}'s images.
${toYaml({ docker: { [r.authority]: { lookaside: r.signatures.lookaside } } })}`;
}
