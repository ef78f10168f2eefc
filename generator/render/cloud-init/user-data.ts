/**
 * NoCloud / cloud console `user-data` (#cloud-config) for one node, written for cloud-init 22.4.2 as the
 * floor (docs/sources.md#cloud-init-schema-floor): only keys its schema knows, `permissions` as quoted octal
 * strings, `sudo` as a string, `runcmd` entries as argv lists.
 * What it does on first boot, in cloud-init's own module order: bootcmd creates the admin's group with
 * the profile's gid (users-groups has no gid key); write_files lays down the node's whole file tree
 * (the same list the Ignition renderer uses); users-groups creates the admin; in airgap mode apt makes
 * the registry host's flat repository the only package source (airgap-apt.ts); packages installs the
 * host packages; runcmd (final stage) applies kernel settings, installs Kubernetes, loads the firewall
 * and starts kubeseed-bootstrap without waiting for it.
 * Guarantees: pure; files appear in the order given (the plan's sorted order).
 */
import type { NodeFile, NodeRenderInput } from "../node-input.js";
import { boundedMemo } from "../memo.js";
import { writeFilesYaml } from "./write-files.js";
import { toYaml } from "../yaml.js";
import { airgapAptConfig } from "./airgap-apt.js";
import { HOST_PACKAGES } from "./packages.js";
import { GENERATED_NOTICE } from "../../core/generated.js";


export interface UserDataOptions {
  /** runcmd steps, in order, as argv lists */
  runcmd: string[][];
  /**
   * true: large compressible files as `gz+b64` (the smallest text, for clouds that take text only);
   * false: every file as plain text (the smallest once the whole document is gzip-compressed)
   */
  pack: boolean;
}

/** Parts of the document that are the same on many nodes (all but the hostname line), stringified once. */
const parts = boundedMemo<string>();
const memoYaml = (data: Record<string, unknown>) => parts(JSON.stringify(data), () => toYaml(data));

function adminUser(input: NodeRenderInput): Record<string, unknown> {
  const a = input.model.admin;
  const user: Record<string, unknown> = {
    name: a.name,
    uid: a.uid,
    primary_group: a.name,
    groups: "sudo",
    shell: "/bin/bash",
    lock_passwd: a.passwordHash === undefined,
  };
  if (a.passwordHash !== undefined) user.hashed_passwd = a.passwordHash;
  // without a password the admin could never use sudo: grant it without one (the account stays key-only)
  else user.sudo = "ALL=(ALL) NOPASSWD:ALL";
  user.ssh_authorized_keys = [...a.sshKeys];
  return user;
}

/**
 * The document is the YAML of one mapping (keys in this order: hostname … users, write_files, apt,
 * package_update, package_upgrade, packages, runcmd), stringified in parts: a top-level block mapping is its
 * pairs one per line and a block sequence its items one per line, each rendered without regard to
 * its neighbours (no anchors, no comments), so the parts joined are byte for byte the whole
 * document's YAML (test/render/cloud-init/user-data-parts.test.ts checks it). Everything but the
 * hostname line is the same on many nodes and comes from memos (render/memo.ts, write-files.ts).
 */
export function renderUserData(input: NodeRenderInput, files: NodeFile[], opts: UserDataOptions): string {
  const { model, node } = input;
  const a = model.admin;
  const packages = HOST_PACKAGES(model, node);
  const head: Record<string, unknown> = {
    preserve_hostname: false,
    // /etc/hosts is one of the node files (seed 000 layout), so cloud-init must not manage it
    manage_etc_hosts: false,
    ssh_pwauth: false,
    disable_root: true,
    bootcmd: [["sh", "-c", `getent group ${a.name} >/dev/null || groupadd --gid ${a.gid} ${a.name}`]],
    users: [adminUser(input)],
  };
  const tail: Record<string, unknown> = {};
  const apt = airgapAptConfig(model);
  if (apt) tail.apt = apt;
  // seed 000: `apt-get update && apt-get upgrade -y` before anything is installed (cloud-init's
  // package module runs update, then its upgrade — apt-get dist-upgrade —, then installs)
  if (packages.length || node.upgrade) tail.package_update = true;
  if (node.upgrade) tail.package_upgrade = true;
  if (packages.length) tail.packages = packages;
  tail.runcmd = opts.runcmd;
  const header = `#cloud-config\n# ${GENERATED_NOTICE} Node ${node.name} (${node.role}${node.init ? ", kubeadm init" : ""}) of cluster ${model.name}.\n`;
  return header + toYaml({ hostname: node.name }) + memoYaml(head) + writeFilesYaml(files, opts.pack) + memoYaml(tail);
}

