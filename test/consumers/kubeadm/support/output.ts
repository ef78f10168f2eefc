/**
 * A generated cluster written to a temp directory and read back the way a consumer sees it: each
 * node's kubeadm config (the file at /etc/kubernetes/kubeadm/config.yaml in its tree) with its
 * documents, its role as that config says it (InitConfiguration with a KubeletConfiguration → init,
 * without one → an etcd member's; JoinConfiguration with controlPlane → control-plane join; otherwise
 * worker join), and helpers to stage a node's
 * /etc/kubernetes in a scratch directory and to fingerprint a directory.
 * Guarantees: certificates are issued at the real current time unless a test injects another moment
 * (kube-apiserver and kubeadm check validity against the system clock; the suite-wide TEST_CLOCK date
 * would eventually expire);
 * every value comes from the written files, never from the generator's model; `dispose` removes
 * the whole temp directory.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { generateCluster, type Generated } from "../../../../generator/bundle/generate.js";
import { fixedClock, systemRandom } from "../../../../generator/core/clock.js";
import { defaultKeyFactory } from "../../../../generator/pki/keys.js";
import type { ProfileInput } from "../../../../generator/profile/schema.js";
import type { SecretsBundle } from "../../../../generator/pki/secrets.js";
import type { Rotation } from "../../../../generator/pki/rotation.js";
import { writeToTemp } from "../../../helpers/generate.js";
import { run } from "../../support/proc.js";

/** the on-node path of the kubeadm config */
export const KUBEADM_CONFIG = "/etc/kubernetes/kubeadm/config.yaml";

/** a parsed YAML document (kubeadm and Pod documents are read as free-form data) */
export type Doc = Record<string, any>;

export type NodeKind = "init" | "control-plane-join" | "worker-join" | "etcd-member";

export interface NodeFiles {
  name: string;
  kind: NodeKind;
  /** the node tree's root (its `/`) */
  root: string;
  /** the kubeadm config file in the tree */
  config: string;
  docs: Doc[];
  doc(kind: string): Doc;
}

export interface Output {
  g: Generated;
  out: string;
  nodes: NodeFiles[];
  node(kind: NodeKind): NodeFiles;
  /** a fresh scratch directory inside the temp directory */
  scratch(name: string): string;
  dispose(): void;
}

export function readDocs(path: string): Doc[] {
  return parseAllDocuments(readFileSync(path, "utf8")).map((d) => d.toJS() as Doc);
}

function readNode(out: string, name: string): NodeFiles {
  const root = join(out, "nodes", name, "files");
  const config = join(root, KUBEADM_CONFIG);
  const docs = readDocs(config);
  const doc = (kind: string) => {
    const d = docs.find((x) => x.kind === kind);
    if (!d) throw new Error(`${config} has no ${kind}`);
    return d;
  };
  const join_ = docs.find((d) => d.kind === "JoinConfiguration");
  // an etcd member's config is the InitConfiguration + ClusterConfiguration of `kubeadm init phase etcd local`
  const init = docs.some((d) => d.kind === "InitConfiguration");
  const kind: NodeKind = init ? (docs.some((d) => d.kind === "KubeletConfiguration") ? "init" : "etcd-member") : join_?.controlPlane ? "control-plane-join" : "worker-join";
  return { name, kind, root, config, docs, doc };
}

/** at: the generation clock (default now); prior: the secrets of an earlier generation of the same cluster; rotation: a CA rotation in progress */
export async function writeOutput(profile: ProfileInput, prefix: string, opts: { at?: Date; prior?: SecretsBundle; rotation?: Rotation } = {}): Promise<Output> {
  const clock = fixedClock((opts.at ?? new Date()).toISOString());
  const g = await generateCluster(profile, opts.prior, { clock, random: systemRandom, keys: defaultKeyFactory }, opts.rotation ? { rotation: opts.rotation } : {});
  const out = await writeToTemp(g, prefix);
  const nodes = readdirSync(join(out, "nodes")).sort().map((n) => readNode(out, n));
  let n = 0;
  return {
    g,
    out,
    nodes,
    node: (kind) => {
      const found = nodes.find((x) => x.kind === kind);
      if (!found) throw new Error(`no ${kind} node in ${out}`);
      return found;
    },
    scratch: (name) => mkdtempSync(join(dirname(out), `${String(++n).padStart(2, "0")}-${name}-`)),
    dispose: () => rmSync(dirname(out), { recursive: true, force: true }),
  };
}

/**
 * The configuration `kubeadm join` assembles for a joining control plane (cmd/kubeadm/app/util/config
 * joinconfiguration.go: the cluster's ClusterConfiguration + an InitConfiguration holding the
 * JoinConfiguration's nodeRegistration and controlPlane.localAPIEndpoint), for running kubeadm's init
 * phases offline as that node.
 */
export function joinAsInitConfig(init: NodeFiles, joining: NodeFiles): string {
  const join_ = joining.doc("JoinConfiguration");
  const cluster = init.doc("ClusterConfiguration");
  const initCfg = { apiVersion: join_.apiVersion, kind: "InitConfiguration", nodeRegistration: join_.nodeRegistration, localAPIEndpoint: join_.controlPlane.localAPIEndpoint };
  return [initCfg, cluster].map((d) => stringify(d)).join("---\n");
}

/** Copies the node tree's etc/kubernetes to DEST with modes (`cp -a`): what its first boot lays down. */
export function stageEtcKubernetes(node: NodeFiles, dest: string): string {
  const r = run("cp", ["-a", join(node.root, "etc/kubernetes"), dest]);
  if (r.status !== 0) throw new Error(`cp -a failed: ${r.out}`);
  return dest;
}

/** Every file under DIR (relative path → sha256 of its bytes and its mode). */
export function fingerprint(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else result[relative(dir, p)] = `${createHash("sha256").update(readFileSync(p)).digest("hex")} ${(statSync(p).mode & 0o7777).toString(8)}`;
    }
  };
  walk(dir);
  return result;
}

/** The container command of a static Pod manifest kubeadm wrote. */
export function manifestCommand(path: string): string[] {
  const [pod] = readDocs(path);
  const command = pod?.spec?.containers?.[0]?.command;
  if (!Array.isArray(command) || command.length === 0) throw new Error(`${path}: no container command`);
  return command.map(String);
}

/** "--name=value" flags as a map (a flag without "=" maps to ""). */
export function flagMap(args: string[]): Map<string, string> {
  return new Map(
    args.map((a) => {
      const i = a.indexOf("=");
      return i < 0 ? [a.replace(/^--/, ""), ""] : [a.slice(2, i), a.slice(i + 1)];
    }),
  );
}
