/**
 * output/NAME/registry/config.yml: the configuration of registry.local itself (CNCF distribution 2.8,
 * Debian's docker-registry package; docs/sources.md#registry-server): filesystem storage, listening on the registry port,
 * TLS with the certificate the registry CA issued (registry/tls/), deletes disabled, or plain HTTP
 * when the profile says insecure. Install: config at /etc/docker/registry/config.yml, the certificate
 * and key at /etc/docker/registry/tls/ (the key root:docker-registry 0640: Debian's service runs as the
 * docker-registry user), and, for a port below 1024, the systemd drop-in renderRegistryServiceDropIn
 * makes (that user may not bind it otherwise).
 * Guarantees: pure.
 */
import type { ClusterModel } from "../../model/types.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";

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
  return `${GENERATED_HEADER}# registry ${r.authority} of cluster ${model.name} (distribution 2.8, Debian's docker-registry)
# install: /etc/docker/registry/config.yml; tls/ into ${REGISTRY_TLS_DIR}/ with the key root:docker-registry 0640
${toYaml(doc)}`;
}

/** /etc/systemd/system/docker-registry.service.d/kubeseed.conf: lets Debian's unprivileged service bind a port below 1024. */
export function renderRegistryServiceDropIn(model: ClusterModel): string {
  return `${GENERATED_HEADER}# Debian's docker-registry.service runs as the docker-registry user; the registry of cluster
# ${model.name} listens on port ${model.registry.port}, below 1024, which needs this capability.
# Install as /etc/systemd/system/docker-registry.service.d/kubeseed.conf, then: systemctl daemon-reload
[Service]
AmbientCapabilities=CAP_NET_BIND_SERVICE
`;
}
