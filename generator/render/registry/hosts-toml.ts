/**
 * containerd's /etc/containerd/certs.d/<host>/hosts.toml on every node of an air-gapped cluster
 * (containerd docs/hosts.md; config_path in render/host/containerd.ts points here).
 * For an upstream host (registry.k8s.io, docker.io, …): one mirror, the registry's /v2/<prefix> with
 * override_path, so `<upstream>/<path>:<tag>` is pulled as `<registry>/<prefix>/<path>:<tag>`, the
 * layout mirror.sh pushes; `server` is the registry too, so a miss never falls back to the internet.
 * For the registry itself: pull and resolve over TLS trusting the registry CA (or plain HTTP when the
 * profile says insecure).
 * Guarantees: pure; paths absolute, so the files work wherever containerd reads them from.
 */
import type { ClusterModel } from "../../model/types.js";
import { registryCaPath } from "../../plan/registry.js";
import { GENERATED_HEADER } from "../../core/generated.js";

export function renderHostsToml(model: ClusterModel, host: string): string {
  const r = model.registry;
  const trust = r.tls === "ca" ? `  ca = "${registryCaPath(model)}"\n` : "";
  if (host === r.authority) {
    return `${GENERATED_HEADER}# The air-gapped registry of cluster ${model.name}.
server = "${r.url}"

[host."${r.url}"]
  capabilities = ["pull", "resolve"]
${trust}`;
  }
  return `${GENERATED_HEADER}# ${host} is mirrored in ${r.repository}: ${host}/<path>:<tag> is pulled as ${r.repository}/<path>:<tag>.
# server is the registry as well, so nothing is ever fetched from ${host} itself.
server = "${r.url}"

[host."${r.url}/v2/${r.prefix}"]
  capabilities = ["pull", "resolve"]
  override_path = true
${trust}`;
}
