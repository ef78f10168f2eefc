/**
 * Helpers of the Ignition tests: the coreos example with its files lock, decoding of data URLs, the
 * remote (https) entries of a config, and a run of Debian's real Ignition binary (2.14) that applies a
 * config to a fresh root directory (docs/sources.md#testbed-ignition): stages fetch and files, platform
 * `file`, the root seeded with the OS's own users, groups and login.defs as the image has them when
 * Ignition runs, and the OS's own base config merged by Ignition (Fedora CoreOS's creates `core`).
 * Guarantees: never touches the host's /run or /etc (config cache and state file live in the work dir);
 * each apply gets a new root.
 */
import { spawnSync } from "node:child_process";
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

/** Fedora's shadow-utils login.defs, the keys useradd reads (Flatcar's shadow uses the same values). */
const LOGIN_DEFS = "UID_MIN 1000\nUID_MAX 60000\nSYS_UID_MIN 201\nSYS_UID_MAX 999\nGID_MIN 1000\nGID_MAX 60000\nSYS_GID_MIN 201\nSYS_GID_MAX 999\nCREATE_HOME yes\nUSERGROUPS_ENAB yes\nUMASK 022\nHOME_MODE 0700\n";

/**
 * What each OS holds in /etc when Ignition's files stage creates users (test/fixtures/ignition/SOURCE.md):
 * Fedora CoreOS: root and the etc-group-members of fedora-coreos-config (everything else is in
 * /usr/lib/passwd|group, below 1000) and its base config directory, which creates `core`; Flatcar: what
 * flatcar-tmpfiles copies from flatcar/baselayout (root, core 500:500, their groups) and no base config.
 */
export const OS_STATE: Record<IgnitionOs, { passwd: string; group: string; shadow: string; baseDir: string }> = {
  "fedora-coreos": {
    passwd: "root:x:0:0:Super User:/root:/bin/bash\n",
    group: "root:x:0:\nadm:x:4:\nwheel:x:10:\nsudo:x:16:\nsystemd-journal:x:190:\n",
    shadow: "root:!::0:99999:7:::\n",
    baseDir: join(REPO_ROOT, "test/fixtures/ignition/fedora-coreos"),
  },
  flatcar: {
    passwd: "root:x:0:0:root:/root:/bin/bash\ncore:x:500:500:Flatcar Admin:/home/core:/bin/bash\n",
    group: "root:x:0:root\nwheel:x:10:root,core\nsudo:x:150:\ndocker:x:233:core\nsystemd-journal:x:248:core\ncore:x:500:\n",
    shadow: "root:*:19000:0:99999:7:::\ncore:*:19000:0:99999:7:::\n",
    baseDir: join(REPO_ROOT, "test/fixtures/ignition/flatcar"),
  },
};

/** A stage of the real Ignition failed; `log` is its whole output. */
export class IgnitionFailed extends Error {
  constructor(
    readonly stage: string,
    readonly log: string,
  ) {
    super(`Ignition stage ${stage} failed:\n${log}`);
  }
}

export const hasIgnition = () => existsSync(IGNITION) && existsSync(IGNITION_VALIDATE);

export function ignitionValidate(text: string): { code: number; out: string } {
  const r = spawnSync(IGNITION_VALIDATE, ["-"], { input: text, encoding: "utf8" });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/**
 * Applies a config with the real Ignition to a new root holding the OS's own accounts (OS_STATE), with
 * the OS's base config merged by Ignition itself (IGNITION_SYSTEM_CONFIG_DIR); returns the root and the
 * log. Throws (with Ignition's output) when a stage fails.
 */
export function applyIgnition(cfg: IgnitionConfig, os: IgnitionOs, seed: Record<string, string> = {}): { root: string; log: string } {
  const work = mkdtempSync(join(tmpdir(), "ks-ign-"));
  // Ignition writes the SSH keys with the admin's uid: the path to the root must be traversable
  chmodSync(work, 0o755);
  const root = join(work, "root");
  mkdirSync(join(root, "etc/selinux"), { recursive: true });
  // this build always relabels what it wrote: a config naming a policy type, and a no-op setfiles
  writeFileSync(join(root, "etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
  const state = OS_STATE[os];
  writeFileSync(join(root, "etc/passwd"), state.passwd);
  writeFileSync(join(root, "etc/group"), state.group);
  writeFileSync(join(root, "etc/shadow"), state.shadow, { mode: 0o600 });
  writeFileSync(join(root, "etc/login.defs"), LOGIN_DEFS);
  mkdirSync(join(root, "home"));
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
    const env = { ...process.env, PATH: `${fake}:${process.env.PATH}`, IGNITION_CONFIG_FILE: config, IGNITION_SYSTEM_CONFIG_DIR: state.baseDir };
    const r = spawnSync(IGNITION, args, { env, encoding: "utf8" });
    log += `${r.stdout}${r.stderr}`;
    if (r.status !== 0) throw new IgnitionFailed(stage, log);
  }
  return { root, log };
}
