/**
 * NoCloud / cloud console `user-data` (#cloud-config) for one node, written for cloud-init 22.4.2 as the
 * floor (../shared/reference/cloud-init.md): only keys its schema knows, `permissions` as quoted octal
 * strings, `sudo` as a string, `runcmd` entries as argv lists.
 * What it does on first boot, in cloud-init's own module order: bootcmd creates the admin's group with
 * the profile's gid (users-groups has no gid key); write_files lays down the node's whole file tree
 * (the same list the Ignition renderer uses); users-groups creates the admin; in airgap mode apt makes
 * the registry host's flat repository the only package source (airgap-apt.ts); packages installs the
 * host packages; runcmd (final stage) applies kernel settings, installs Kubernetes, loads the firewall
 * and starts kubeseed-bootstrap without waiting for it.
 * Guarantees: pure; files appear in the order given (the plan's sorted order).
 */
import { gzipSync } from "node:zlib";
import type { NodeRenderInput } from "../node-input.js";
import { boundedMemo } from "../memo.js";
import { toYaml } from "../yaml.js";
import { airgapAptConfig } from "./airgap-apt.js";
import { HOST_PACKAGES } from "./packages.js";

export interface NodeFile {
  path: string;
  mode: number;
  owner: string;
  contents: string;
  /** PEMs whose base64 this file's text embeds (kubeconfigs): cloud-init delivers it as a template (assembly.ts) */
  embeds?: string[];
}

export interface UserDataOptions {
  /** runcmd steps, in order, as argv lists */
  runcmd: string[][];
  /**
   * true: large compressible files as `gz+b64` (the smallest text, for clouds that take text only);
   * false: every file as plain text (the smallest once the whole document is gzip-compressed)
   */
  pack: boolean;
}

const octal = (mode: number) => "0" + mode.toString(8).padStart(3, "0");

/** write_files indents every content line by this many spaces in the block scalar */
const BLOCK_INDENT = 6;

/** Lines of a text as `text.split("\n").length` counts them, without making them. */
function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * A write_files entry. With `pack`, large text that compresses well (scripts, configs) is written as
 * `gz+b64`, which cloud-init 22.4.2 decodes and its schema accepts, when that is smaller than the
 * indented plain block. PEM material does not compress and stays plain. Without `pack` everything is
 * plain: gzip of the whole document then finds what files share, which per-file gzip cannot.
 */
function writeFile(f: NodeFile, pack: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = { path: f.path, owner: f.owner, permissions: octal(f.mode) };
  if (pack && f.contents.length > 1024) {
    const plainCost = f.contents.length + lineCount(f.contents) * BLOCK_INDENT;
    const packed = gzipSync(Buffer.from(f.contents, "utf8"), { level: 6 }).toString("base64");
    if (packed.length < plainCost * 0.8) return { ...entry, encoding: "gz+b64", content: packed };
  }
  return { ...entry, content: f.contents };
}

/** `write_files:` and its items. See renderUserData for why each item is stringified on its own. */
const WRITE_FILES = "write_files:\n";
const itemYaml = boundedMemo<string>();
/** Larger files are not looked up in the memo (comparing such a key costs as much as a miss saves; the large ones, /etc/hosts of a big cluster, differ per node anyway). */
const MEMO_MAX_CHARS = 64 * 1024;

function writeFilesYaml(files: NodeFile[], pack: boolean): string {
  if (files.length === 0) return toYaml({ write_files: [] });
  let text = WRITE_FILES;
  for (const f of files) {
    const item = () => toYaml({ write_files: [writeFile(f, pack)] }).slice(WRITE_FILES.length);
    text += f.contents.length > MEMO_MAX_CHARS ? item() : itemYaml(`${pack ? "p" : "t"}\0${f.path}\0${f.owner}\0${f.mode}\0${f.contents}`, item);
  }
  return text;
}

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
 * package_update, package_upgrade, packages, runcmd), stringified in three parts: a top-level block mapping is its
 * pairs one per line and a block sequence its items one per line, each rendered without regard to
 * its neighbours (no anchors, no comments), so the parts joined are byte for byte the whole
 * document's YAML (test/render/cloud-init/user-data-parts.test.ts checks it). The write_files
 * items, most of them the same file on every node, come from a memo (render/memo.ts).
 */
export function renderUserData(input: NodeRenderInput, files: NodeFile[], opts: UserDataOptions): string {
  const { model, node } = input;
  const a = model.admin;
  const packages = HOST_PACKAGES(model, node);
  const head: Record<string, unknown> = {
    hostname: node.name,
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
  const header = `#cloud-config\n# Generated by kubeseed — do not edit. Node ${node.name} (${node.role}${node.init ? ", kubeadm init" : ""}) of cluster ${model.name}.\n`;
  return header + toYaml(head) + writeFilesYaml(files, opts.pack) + toYaml(tail);
}

