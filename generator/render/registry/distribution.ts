/**
 * output/NAME/registry/config.yml: the configuration of registry.local itself (CNCF distribution 2.8,
 * Debian's docker-registry package; airgap.md §6): filesystem storage, listening on the registry port,
 * TLS with the certificate the registry CA issued (registry/tls/), deletes disabled, or plain HTTP
 * when the profile says insecure. Install: config at /etc/docker/registry/config.yml, the certificate
 * and key at /etc/docker/registry/tls/.
 * Guarantees: pure.
 */
import type { ClusterModel } from "../../model/types.js";
import { GENERATED_HEADER, toYaml } from "../yaml.js";

export const REGISTRY_TLS_DIR = "/etc/docker/registry/tls";

export function renderRegistryConfig(model: ClusterModel): string {
  const r = model.registry;
  const http: Record<string, unknown> = { addr: `:${r.port}`, host: r.url, headers: { "X-Content-Type-Options": ["nosniff"] } };
  if (r.tls === "ca") http.tls = { certificate: `${REGISTRY_TLS_DIR}/registry.crt`, key: `${REGISTRY_TLS_DIR}/registry.key`, minimumtls: "tls1.2" };
  const doc = {
    version: 0.1,
    log: { fields: { service: "registry" } },
    storage: { filesystem: { rootdirectory: "/var/lib/docker-registry" }, delete: { enabled: false } },
    http,
    health: { storagedriver: { enabled: true, interval: "10s", threshold: 3 } },
  };
  return `${GENERATED_HEADER}# registry ${r.authority} of cluster ${model.name} (distribution 2.8, Debian's docker-registry)\n${toYaml(doc)}`;
}
