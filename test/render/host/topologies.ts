/**
 * The two topologies the host-renderer suites render: dev (1 control plane + 1 worker, relaxed sshd,
 * no firewall, newest supported minor) and HA (3+3, VIP with static-pod balancer, nftables, strict
 * sshd, seed 000's NodePort range), plus a runner for the real programs that read the files.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { buildModel } from "../../../generator/model/build.js";
import type { ClusterModel } from "../../../generator/model/types.js";
import type { NodeRenderInput } from "../../../generator/render/node-input.js";
import { loadProfile, type ProfileInput } from "../../../generator/profile/index.js";
import { topology } from "../../helpers/profiles.js";

const JOIN = { token: "abcdef.0123456789abcdef", caCertHash: `sha256:${"0".repeat(64)}` };

/** Builds the model of a profile that must pass validation (so the tests never render an impossible model). */
export function model(profile: ProfileInput): ClusterModel {
  const loaded = loadProfile([{ file: "test.yaml", text: stringify(profile) }]);
  if (!loaded.profile) throw new Error(`test profile is invalid: ${JSON.stringify(loaded.diagnostics)}`);
  return buildModel(loaded.profile);
}

export const DEV = model(topology(1, 1, { host: { sshHardening: "relaxed" } }, "v1.34.2"));
export const HA = model(
  topology(3, 3, { host: { firewall: "nftables", sshHardening: "strict" }, kubernetes: { version: "v1.31.4", nodePortRange: "30001-30099" } }),
);

/** The render input of one node of a model. */
export function on(m: ClusterModel, name: string): NodeRenderInput {
  const node = m.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`no node ${name}`);
  return { model: m, node, join: JOIN };
}

/** Writes files into a fresh temp directory; returns its path. */
export function tempFiles(files: Record<string, string>, prefix = "ks-host-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export interface Ran {
  status: number | null;
  out: string;
}

/** Runs a real program; a missing program fails with the package to install in the output. */
export function run(cmd: string, args: string[], pkg: string): Ran {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 120_000 });
  if (r.error) return { status: null, out: `${cmd}: ${r.error.message} (install the Debian package ${pkg})` };
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}
