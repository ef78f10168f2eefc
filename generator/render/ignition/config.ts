/**
 * renderIgnitionConfig: one node's Ignition config (spec 3.3.0 or 3.4.0) from the node's resolved file
 * tree — the same list cloud-init's write_files carries — plus what only the OS needs (os.ts, network.ts,
 * units.ts, downloads.ts). What it does on first boot, in Ignition's files stage: creates the admin's
 * group (the profile's gid) and user (uid, groups, key, password or locked), writes every node file
 * (data URLs, gzip when shorter; `overwrite` only where the image has the file, os.ts OVERWRITES),
 * /etc/hostname and the network files, fetches the Kubernetes binaries with their sha256, and writes and
 * enables the units; systemd then starts them on the same boot.
 * Differences to the cloud-init document, all forced by the OS: no apt script and no package list;
 * no swapoff (neither OS has swap); no sshd reload and no `systemctl` calls (Ignition runs before
 * systemd starts the real root, so everything is in place before sshd, containerd or the units start).
 * Guarantees: pure; compact JSON (as Butane writes it) ending with a newline; files sorted by path,
 * units by name; same input → same bytes. Throws (internal) when a tree unit is not mode 0644, the
 * only mode Ignition writes units with.
 */
import type { NodeFile, NodeRenderInput } from "../node-input.js";
import { OS_TABLE } from "../../model/os.js";
import { dataUrl, type IgnitionContents } from "./data-url.js";
import type { Download } from "./downloads.js";
import { networkFiles, type ExtraFile } from "./network.js";
import { IGNITION_OS, OVERWRITES, type IgnitionOs } from "./os.js";
import { renderKubeadmDropIn, renderKubeletUnit, renderUnpackUnit, TREE_UNITS_ENABLED, UNPACK_UNIT, type IgnitionUnit } from "./units.js";
import { BOOTSTRAP_UNIT_NAME } from "../../core/node-names.js";
import { isControlPlane } from "../../model/roles.js";

export interface VerifiedDownload extends Download {
  /** lower-case hex sha256 of the file at the URL */
  sha256: string;
}

export interface IgnitionOptions {
  version: "3.3.0" | "3.4.0";
  /** the Kubernetes downloads of this node with their hashes (empty unless kubernetesPackages: download) */
  downloads: readonly VerifiedDownload[];
}

interface StorageFile {
  path: string;
  mode: number;
  overwrite?: true;
  user?: { name: string };
  group?: { name: string };
  contents: IgnitionContents | { source: string; verification: { hash: string } };
}

const UNIT_FILE = /^\/etc\/systemd\/system\/([^/]+\.(?:service|socket|timer|target|mount|path))$/;
const DROP_IN = /^\/etc\/systemd\/system\/([^/]+)\.d\/([^/]+\.conf)$/;

function ownership(owner: string): Pick<StorageFile, "user" | "group"> {
  if (owner === "root:root") return {};
  const [user, group] = owner.split(":");
  return { user: { name: user }, group: { name: group ?? user } };
}

function storageFile(f: { path: string; mode: number; contents: string; owner?: string; overwrite?: boolean }): StorageFile {
  return {
    path: f.path,
    mode: f.mode,
    ...(f.overwrite || OVERWRITES.has(f.path) ? { overwrite: true as const } : {}),
    ...ownership(f.owner ?? "root:root"),
    contents: dataUrl(f.contents),
  };
}

/** The node tree split into plain files and units (with their drop-ins). */
function splitTree(files: readonly NodeFile[]): { plain: NodeFile[]; units: Map<string, IgnitionUnit> } {
  const plain: NodeFile[] = [];
  const units = new Map<string, IgnitionUnit>();
  const unit = (name: string) => units.get(name) ?? units.set(name, { name }).get(name)!;
  for (const f of files) {
    const u = UNIT_FILE.exec(f.path);
    const d = DROP_IN.exec(f.path);
    if (!u && !d) {
      plain.push(f);
      continue;
    }
    if (f.mode !== 0o644 || f.owner !== "root:root") throw new Error(`internal: ${f.path} must be 0644 root:root to be written as a unit`);
    if (u) Object.assign(unit(u[1]), { contents: f.contents, ...(TREE_UNITS_ENABLED.has(u[1]) ? { enabled: true } : {}) });
    else (unit(d![1]).dropins ??= []).push({ name: d![2], contents: f.contents });
  }
  return { plain, units };
}

function osUnits(input: NodeRenderInput, os: IgnitionOs, downloads: readonly Download[]): IgnitionUnit[] {
  const row = IGNITION_OS[os];
  const bin = OS_TABLE[os].binDir;
  const units: IgnitionUnit[] = [
    { name: "containerd.service", enabled: true, ...(row.containerdDropIn ? { dropins: [{ name: "10-kubeseed.conf", contents: row.containerdDropIn }] } : {}) },
  ];
  if (row.servicePath) {
    const path = [{ name: "10-path.conf", contents: `[Service]\nEnvironment=PATH=${row.servicePath}\n` }];
    units.push({ name: BOOTSTRAP_UNIT_NAME, dropins: path });
    // kubeseed-renew-certs runs kubeadm, kubectl and crictl from the same directory
    if (isControlPlane(input.node) && input.model.pki.renewal === "timer") units.push({ name: "kubeseed-renew-certs.service", dropins: [...path] });
  }
  if (input.node.kubernetesPackages === "download") {
    units.push({
      name: "kubelet.service",
      enabled: true,
      contents: renderKubeletUnit(bin),
      dropins: [{ name: "10-kubeadm.conf", contents: renderKubeadmDropIn(bin, row.kubeletEnvironmentFile) }],
    });
    const archives = downloads.filter((d) => d.unpackTo);
    if (archives.length) units.push({ name: UNPACK_UNIT, enabled: true, contents: renderUnpackUnit(archives) });
  }
  return units;
}

/** Merges units of the same name (a tree unit and the OS's drop-in for it). */
function mergeUnits(lists: IgnitionUnit[][]): IgnitionUnit[] {
  const byName = new Map<string, IgnitionUnit>();
  for (const u of lists.flat()) {
    const prev = byName.get(u.name);
    if (!prev) byName.set(u.name, { ...u, dropins: u.dropins ? [...u.dropins] : undefined });
    else {
      if (u.contents !== undefined) prev.contents = u.contents;
      if (u.enabled !== undefined) prev.enabled = u.enabled;
      if (u.dropins) prev.dropins = [...(prev.dropins ?? []), ...u.dropins];
    }
  }
  const units = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return units.map((u) => {
    const out: IgnitionUnit = { name: u.name };
    if (u.enabled !== undefined) out.enabled = u.enabled;
    if (u.contents !== undefined) out.contents = u.contents;
    if (u.dropins?.length) out.dropins = [...u.dropins].sort((a, b) => (a.name < b.name ? -1 : 1));
    return out;
  });
}

function passwd(input: NodeRenderInput, os: IgnitionOs): Record<string, unknown> {
  const a = input.model.admin;
  const groups = [...IGNITION_OS[os].adminGroups.always, ...(a.passwordHash === undefined ? IGNITION_OS[os].adminGroups.locked : [])];
  const user: Record<string, unknown> = { name: a.name, uid: a.uid, primaryGroup: a.name, groups, shell: "/bin/bash", sshAuthorizedKeys: [...a.sshKeys] };
  if (a.passwordHash !== undefined) user.passwordHash = a.passwordHash;
  return { groups: [{ name: a.name, gid: a.gid }], users: [user] };
}

export function renderIgnitionConfig(input: NodeRenderInput, files: readonly NodeFile[], os: IgnitionOs, opts: IgnitionOptions): string {
  const { plain, units } = splitTree(files);
  const extras: ExtraFile[] = [{ path: "/etc/hostname", mode: 0o644, contents: `${input.node.name}\n`, overwrite: true }, ...networkFiles(input, os)];
  const remote: StorageFile[] = opts.downloads.map((d) => ({ path: d.path, mode: d.mode, contents: { source: d.url, verification: { hash: `sha256-${d.sha256}` } } }));
  const storageFiles = [...plain.map(storageFile), ...extras.map(storageFile), ...remote].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const config = {
    ignition: { version: opts.version },
    passwd: passwd(input, os),
    storage: { files: storageFiles },
    systemd: { units: mergeUnits([[...units.values()], osUnits(input, os, opts.downloads)]) },
  };
  return JSON.stringify(config) + "\n";
}
