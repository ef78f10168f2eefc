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
  /**
   * uids and gids the OS's own accounts hold when the admin is created (the admin's must differ): on
   * Fedora CoreOS the base Ignition config (/usr/lib/ignition/base.d/00-core.ign, merged before the
   * user's config) creates `core` without a uid, in the same run and before the admin, so useradd gives
   * it the first free uid, 1000 (login.defs UID_MIN; no other account is at or above it); its group is
   * created after the admin's, so it takes no gid the admin asked for. Flatcar ships core as 500:500
   * (flatcar/baselayout passwd, group), below the profile's 1000–60000. Debian's cloud-init creates no
   * default user when `users` does not name it.
   */
  ownIds: { uid: readonly number[]; gid: readonly number[] };
}

export const OS_TABLE: Readonly<Record<NodeOs, OsRow>> = {
  debian: {
    provisioning: "cloud-init",
    defaultPackages: "apt",
    packages: ["apt", "preinstalled"],
    sbinDir: "/usr/local/sbin",
    binDir: "/usr/bin",
    hostServices: true,
    ownIds: { uid: [], gid: [] },
  },
  "fedora-coreos": {
    provisioning: "ignition",
    defaultPackages: "download",
    packages: ["download", "preinstalled"],
    sbinDir: "/usr/local/sbin",
    binDir: "/usr/local/bin",
    hostServices: false,
    ownIds: { uid: [1000], gid: [] },
  },
  flatcar: {
    provisioning: "ignition",
    defaultPackages: "download",
    packages: ["download", "preinstalled"],
    sbinDir: "/opt/bin",
    binDir: "/opt/bin",
    hostServices: false,
    ownIds: { uid: [500], gid: [500] },
  },
};
