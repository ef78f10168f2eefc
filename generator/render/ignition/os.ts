/**
 * What differs between the two Ignition operating systems, as a DATA table (STYLE rule 9). Every row
 * says where its value comes from:
 * - admin groups: both OSes grant `%wheel ALL=(ALL) ALL` (sudo asks for the password) and
 *   `%sudo ALL=(ALL) NOPASSWD: ALL` (Flatcar: flatcar/baselayout baselayout/sudoers; Fedora CoreOS:
 *   /etc/sudoers.d/coreos-sudo-group, and its docs "Configuring Users" add admins to sudo and wheel).
 *   So the admin is in `wheel`, plus `sudo` when the profile has no password: exactly cloud-init's
 *   behaviour on Debian (group sudo, NOPASSWD only without a password).
 * - network: Fedora CoreOS configures NICs with NetworkManager keyfiles ("Configuring FCOS to Use a
 *   Static IP Address"), Flatcar with systemd-networkd .network/.netdev files.
 * - containerd: Fedora CoreOS's containerd reads /etc/containerd/config.toml; Flatcar's unit passes
 *   --config /usr/share/containerd/config.toml, and its docs ("Customizing Docker": use a custom
 *   containerd configuration) reset ExecStart in a drop-in so /etc/containerd/config.toml applies.
 * - PATH: Flatcar's /opt/bin is not in systemd's default PATH, so kubeseed-bootstrap gets a drop-in.
 * Guarantees: constants only; one row per Ignition OS (checked by the type).
 */
import { OS_TABLE, type NodeOs } from "../../model/os.js";

export type IgnitionOs = Exclude<NodeOs, "debian">;

export interface IgnitionOsRow {
  /** supplementary groups of the admin: `always`, plus `locked` when the profile has no password */
  adminGroups: { always: readonly string[]; locked: readonly string[] };
  network: "networkmanager" | "networkd";
  /** drop-in for containerd.service, when the OS's unit does not read /etc/containerd/config.toml */
  containerdDropIn?: string;
  /** PATH for kubeseed-bootstrap when the OS's binary directory is not in systemd's default PATH */
  servicePath?: string;
  /** the kubelet's optional environment file (KUBELET_EXTRA_ARGS), as the OS family's packages name it */
  kubeletEnvironmentFile: string;
}

export const IGNITION_OS: Readonly<Record<IgnitionOs, IgnitionOsRow>> = {
  "fedora-coreos": {
    adminGroups: { always: ["wheel"], locked: ["sudo"] },
    network: "networkmanager",
    kubeletEnvironmentFile: "/etc/sysconfig/kubelet",
  },
  flatcar: {
    adminGroups: { always: ["wheel"], locked: ["sudo"] },
    network: "networkd",
    containerdDropIn: "[Service]\nExecStart=\nExecStart=/usr/bin/containerd\n",
    servicePath: "/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
    kubeletEnvironmentFile: "/etc/default/kubelet",
  },
};

/**
 * Paths the OS image may already hold that a node file replaces (Ignition refuses to replace a file
 * without `overwrite: true`): the hosts and hostname files, and containerd's config that Fedora's
 * containerd package installs. Every other kubeseed file is new on a fresh image, so Ignition fails
 * loudly instead of silently replacing something unexpected.
 */
export const OVERWRITES: ReadonlySet<string> = new Set(["/etc/hosts", "/etc/hostname", "/etc/containerd/config.toml"]);

/** The OS is provisioned by Ignition (model/os.ts provisioning). */
export function isIgnitionOs(os: NodeOs): os is IgnitionOs {
  return OS_TABLE[os].provisioning === "ignition";
}
