/**
 * What a node's operating system decides for the node plan (STYLE rule 9: a data table): how the node
 * is provisioned, how Kubernetes gets onto it, where kubeseed's own programs and the Kubernetes
 * binaries live, and whether the VIP balancer can run as host services.
 * Sources: Fedora CoreOS keeps /usr read-only but /usr/local is a link to /var/usrlocal (writable, in
 * the default PATH); Flatcar's /usr is a read-only, verity-protected partition, so programs go to
 * /opt/bin (Flatcar's documented place, "Getting started with Kubernetes"); neither has a package
 * manager for haproxy or keepalived.
 * Guarantees: constants only; every OS has a row (checked by the type).
 */
import type { NodeOs } from "../profile/schema.js";

export type { NodeOs } from "../profile/schema.js";
export type KubernetesPackages = "apt" | "download" | "preinstalled";

export interface OsRow {
  /** the first-boot document the node consumes */
  provisioning: "cloud-init" | "ignition";
  /** how kubeadm, kubelet and kubectl arrive when the profile does not say (spec.host.kubernetesPackages) */
  defaultPackages: KubernetesPackages;
  /** the values of spec.host.kubernetesPackages that work on this OS */
  packages: readonly KubernetesPackages[];
  /** where kubeseed's own programs go (kubeseed-bootstrap) */
  sbinDir: string;
  /** where downloaded Kubernetes binaries go (kubernetesPackages: download) */
  binDir: string;
  /** haproxy and keepalived can be installed as host services (loadBalancer: host-services) */
  hostServices: boolean;
}

export const OS_TABLE: Readonly<Record<NodeOs, OsRow>> = {
  debian: { provisioning: "cloud-init", defaultPackages: "apt", packages: ["apt", "preinstalled"], sbinDir: "/usr/local/sbin", binDir: "/usr/bin", hostServices: true },
  "fedora-coreos": {
    provisioning: "ignition",
    defaultPackages: "download",
    packages: ["download", "preinstalled"],
    sbinDir: "/usr/local/sbin",
    binDir: "/usr/local/bin",
    hostServices: false,
  },
  flatcar: { provisioning: "ignition", defaultPackages: "download", packages: ["download", "preinstalled"], sbinDir: "/opt/bin", binDir: "/opt/bin", hostServices: false },
};
