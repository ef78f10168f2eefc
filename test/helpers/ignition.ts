/**
 * Helpers of the Ignition tests: the coreos example with its files lock, decoding of data URLs, the
 * remote (https) entries of a config, and a run of Debian's real Ignition binary (2.14) that applies a
 * config to a fresh root directory (../shared/testbed/README.md): stages fetch and files, platform
 * `file`, the root seeded with the OS's own users and groups so that useradd finds wheel and sudo.
 * Guarantees: never touches the host's /run or /etc (config cache and state file live in the work dir);
 * each apply gets a new root.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Generated } from "../../generator/bundle/generate.js";
import { generateCluster } from "../../generator/bundle/generate.js";
import { readFilesLock } from "../../generator/io/files-lock.js";
import { defaultKeyFactory } from "../../generator/pki/keys.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import type { FilesLock } from "../../generator/render/ignition/downloads.js";
import type { IgnitionOs } from "../../generator/render/ignition/os.js";
import { exampleProfile, REPO_ROOT, TEST_CLOCK } from "./generate.js";
import { systemRandom, type RandomSource } from "../../generator/core/clock.js";

export const IGNITION = "/usr/lib/dracut/modules.d/30ignition/ignition";
export const IGNITION_VALIDATE = "/usr/bin/ignition-validate";

export interface IgnitionFile {
  path: string;
  mode: number;
  overwrite?: boolean;
  user?: { name: string };
  group?: { name: string };
  contents: { source: string; compression?: string; verification?: { hash: string } };
}
export interface IgnitionUnitJson {
  name: string;
  enabled?: boolean;
  contents?: string;
  dropins?: { name: string; contents: string }[];
}
export interface IgnitionConfig {
  ignition: { version: string };
  passwd: { groups: { name: string; gid: number }[]; users: Record<string, unknown>[] };
  storage: { files: IgnitionFile[] };
  systemd: { units: IgnitionUnitJson[] };
}

export const coreosLock = (): FilesLock => readFilesLock(join(REPO_ROOT, "profiles/coreos.yaml"), REPO_ROOT);

export function generateWithLock(profile: ProfileInput, random: RandomSource = systemRandom, lock: FilesLock = coreosLock()): Promise<Generated> {
  return generateCluster(profile, undefined, { clock: TEST_CLOCK, random, keys: defaultKeyFactory }, { filesLock: lock });
}

export const coreosExample = () => exampleProfile("coreos");

export function ignitionOf(g: Generated, node: string): IgnitionConfig {
  const a = g.bundle.artifacts.find((x) => x.path === `nodes/${node}/ignition.json`);
  if (!a) throw new Error(`no ignition.json for ${node}`);
  return JSON.parse(a.contents as string);
}

/** The text an inline data URL carries (gunzipped when compressed). */
export function decodeContents(c: IgnitionFile["contents"]): string {
  const comma = c.source.indexOf(",");
  const meta = c.source.slice("data:".length, comma);
  const body = c.source.slice(comma + 1);
  const bytes = meta.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
  return (c.compression === "gzip" ? gunzipSync(bytes) : bytes).toString("utf8");
}

export const isRemote = (f: IgnitionFile) => /^https?:/.test(f.contents.source);

/** The config without its remote files (Ignition cannot fetch them here), and those files. */
export function withoutRemote(cfg: IgnitionConfig): { config: IgnitionConfig; remote: IgnitionFile[] } {
  return {
    config: { ...cfg, storage: { ...cfg.storage, files: cfg.storage.files.filter((f) => !isRemote(f)) } },
    remote: cfg.storage.files.filter(isRemote),
  };
}

/**
 * The users and groups of a fresh image that matter to Ignition's useradd: root, and the admin groups
 * with the OS's own gids (Flatcar: flatcar/baselayout baselayout/group; Fedora CoreOS: Fedora's setup
 * package wheel 10, and its sudo group).
 */
const BASE_GROUPS: Record<IgnitionOs, string> = {
  "fedora-coreos": "root:x:0:\nwheel:x:10:\nsudo:x:16:\n",
  flatcar: "root:x:0:root\nwheel:x:10:root,core\nsudo:x:150:\n",
};

export const hasIgnition = () => existsSync(IGNITION) && existsSync(IGNITION_VALIDATE);

export function ignitionValidate(text: string): { code: number; out: string } {
  const r = spawnSync(IGNITION_VALIDATE, ["-"], { input: text, encoding: "utf8" });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Applies a config with the real Ignition to a new root; returns the root and the log. */
export function applyIgnition(cfg: IgnitionConfig, os: IgnitionOs, seed: Record<string, string> = {}): { root: string; log: string } {
  const work = mkdtempSync(join(tmpdir(), "ks-ign-"));
  // Ignition writes the SSH keys with the admin's uid: the path to the root must be traversable
  chmodSync(work, 0o755);
  const root = join(work, "root");
  mkdirSync(join(root, "etc/selinux"), { recursive: true });
  // this build always relabels what it wrote: a config naming a policy type, and a no-op setfiles
  writeFileSync(join(root, "etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
  writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
  writeFileSync(join(root, "etc/group"), BASE_GROUPS[os]);
  writeFileSync(join(root, "etc/shadow"), "root:*:19000:0:99999:7:::\n", { mode: 0o600 });
  for (const [path, text] of Object.entries(seed)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const fake = join(work, "bin");
  mkdirSync(fake);
  symlinkSync("/bin/true", join(fake, "setfiles"));
  const config = join(work, "config.ign");
  writeFileSync(config, JSON.stringify(cfg));
  let log = "";
  for (const stage of ["fetch", "files"]) {
    const args = [`--platform=file`, `--stage=${stage}`, `--root=${root}`, `--config-cache=${join(work, "cache.json")}`, `--state-file=${join(work, "state")}`, "--log-to-stdout"];
    log += execFileSync(IGNITION, args, { env: { ...process.env, PATH: `${fake}:${process.env.PATH}`, IGNITION_CONFIG_FILE: config }, encoding: "utf8" });
  }
  return { root, log };
}
