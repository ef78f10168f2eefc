/**
 * The air-gapped registry's share of the plan (spec.registry.mode: airgap): on every node, containerd's
 * certs.d with one hosts.toml per upstream registry the image list uses and one for the registry
 * itself, plus the registry CA; for the operator, output/NAME/registry/ with the image manifest, the
 * mirror script, the registry's own config and its TLS certificate (issued by the registry CA).
 * Guarantees: pure; nothing at all in online mode; paths sorted by the caller.
 */
import { OUTPUT } from "../core/layout.js";
import { clusterImages } from "../model/images.js";
import type { ClusterModel } from "../model/types.js";
import type { CertRequest, PlannedFile } from "./types.js";

export const CERTS_D = "/etc/containerd/certs.d";
export const REGISTRY_CERT_ID = "registry/server";

/** certs.d folder of the registry itself: containerd names it host or host:port. */
export const registryCaPath = (model: ClusterModel) => `${CERTS_D}/${model.registry.authority}/ca.crt`;

/** Every upstream registry host of the image list, sorted. */
export function upstreamHosts(model: ClusterModel): string[] {
  return [...new Set(clusterImages(model).map((i) => i.source.registry))].sort();
}

export function registryNodeFiles(model: ClusterModel): PlannedFile[] {
  if (model.registry.mode !== "airgap") return [];
  const r = model.registry;
  const hosts = [...upstreamHosts(model), r.authority];
  const files: PlannedFile[] = hosts.map((host) => ({
    path: `${CERTS_D}/${host}/hosts.toml`,
    mode: 0o644,
    owner: "root:root",
    source: { kind: "registry-hosts", host },
    sensitive: false,
  }));
  if (r.tls === "ca") files.push({ path: registryCaPath(model), mode: 0o644, owner: "root:root", source: { kind: "ca-cert", ca: "registry" }, sensitive: false });
  return files;
}

/** The registry's serving certificate: its host name and address, signed by the registry CA. */
export function registryCertRequest(model: ClusterModel): CertRequest | undefined {
  const r = model.registry;
  if (r.mode !== "airgap" || r.tls !== "ca") return undefined;
  return {
    id: REGISTRY_CERT_ID,
    profile: "registry-server",
    signer: "registry",
    commonName: r.host,
    organizations: [],
    extKeyUsages: ["serverAuth"],
    dnsNames: [r.host],
    ipAddresses: r.address ? [r.address] : [],
  };
}

/** output/NAME/registry/…, relative to output/NAME. */
export function registryOperatorFiles(model: ClusterModel): PlannedFile[] {
  if (model.registry.mode !== "airgap") return [];
  const file = (path: string, mode: number, source: PlannedFile["source"], sensitive = false): PlannedFile => ({ path: `${OUTPUT.registry}/${path}`, mode, owner: "root:root", source, sensitive });
  const files = [
    file("images.json", 0o644, { kind: "cluster-doc", doc: "images.json" }),
    file("images.txt", 0o644, { kind: "cluster-doc", doc: "images.txt" }),
    file("mirror.sh", 0o755, { kind: "cluster-doc", doc: "mirror.sh" }),
    file("files.json", 0o644, { kind: "cluster-doc", doc: "files.json" }),
    file("config.yml", 0o644, { kind: "cluster-doc", doc: "registry-config" }),
  ];
  if (model.registry.port < 1024) files.push(file("docker-registry.service.d/kubeseed.conf", 0o644, { kind: "cluster-doc", doc: "registry-service" }));
  // podman / CRI-O hosts (render/registry/containers.ts): copy containers/ into /etc/containers/
  files.push(file("containers/registries.conf", 0o644, { kind: "cluster-doc", doc: "registries.conf" }));
  if (model.registry.signatures) {
    files.push(
      file("containers/policy.json", 0o644, { kind: "cluster-doc", doc: "policy.json" }),
      file("containers/registries.d/kubeseed.yaml", 0o644, { kind: "cluster-doc", doc: "registries.d" }),
    );
  }
  if (model.registry.tls === "ca") {
    files.push(
      file(`containers/certs.d/${model.registry.authority}/ca.crt`, 0o644, { kind: "ca-cert", ca: "registry" }),
      file("ca.crt", 0o644, { kind: "ca-cert", ca: "registry" }),
      file("tls/registry.crt", 0o644, { kind: "cert", certId: REGISTRY_CERT_ID }),
      file("tls/registry.key", 0o600, { kind: "key", certId: REGISTRY_CERT_ID }, true),
    );
  }
  return files;
}
