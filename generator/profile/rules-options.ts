/**
 * Semantic rules of the seed options (listed in rules.ts): the admin's ids, external-CA
 * mode, the etcd role, the ingress NodePorts, and host options that only cloud-init nodes can honour.
 * Defaults come from model/defaults.ts and model/os.ts, as model/build.ts applies them.
 * Guarantees: pure; one finding per offending setting.
 */
import { ingressNodePorts } from "../model/decisions.js";
import { messages } from "../core/messages.js";
import { OS_TABLE, type NodeOs } from "../model/os.js";
import { error, warning, type NodeFact, type Path, type Rule, type RuleContext } from "./rule-context.js";
import { isControlPlane } from "../model/roles.js";

const M = messages.options.rules;
const ADMIN: Path = ["spec", "admin"];
const HOST: Path = ["spec", "host"];
const INGRESS: Path = ["spec", "ingress"];

function osOf(ctx: RuleContext, n: NodeFact): NodeOs | undefined {
  const os = ctx.str([...n.path, "os"]) ?? ctx.strOrDefault([...HOST, "os"]);
  return os in OS_TABLE ? (os as NodeOs) : undefined;
}

const label = (n: NodeFact) => n.name ?? `nodes[${n.index}]`;

/** The admin's uid (gid) is none of the ids the nodes' OSes hold themselves (model/os.ts ownIds). */
export const adminIdsFree: Rule = (ctx) => {
  const out = [];
  for (const what of ["uid", "gid"] as const) {
    const path = [...ADMIN, what];
    const id = ctx.num(path);
    if (id === undefined) continue;
    const byOs = new Map<NodeOs, string[]>();
    for (const n of ctx.nodes) {
      const os = osOf(ctx, n);
      if (os && OS_TABLE[os].ownIds[what].includes(id)) byOs.set(os, [...(byOs.get(os) ?? []), label(n)]);
    }
    const taken = new Set(Object.values(OS_TABLE).flatMap((r) => [...r.ownIds.uid, ...r.ownIds.gid]));
    let free = id + 1;
    while (taken.has(free)) free++;
    for (const [os, names] of byOs) out.push(error("admin-id-taken", path, M.adminIdTaken(what, id, os, names), M.adminIdTakenHint(free)));
  }
  return out;
};

/** External-CA mode cannot TLS-bootstrap kubelets: pki.workerKubelet bootstrap-token is refused. */
export const externalCaKubelet: Rule = (ctx) => {
  const path = ["spec", "pki", "workerKubelet"];
  return ctx.bool(["spec", "pki", "externalCA"]) === true && ctx.str(path) === "bootstrap-token" ? [error("external-ca-kubelet", path, M.externalCaToken, M.externalCaTokenHint)] : [];
};

/** External-CA mode has no CA key on a control plane for kubeadm to issue its certificates with. */
export const externalCaOnNode: Rule = (ctx) => {
  const path = ["spec", "pki", "controlPlaneCertificates"];
  return ctx.bool(["spec", "pki", "externalCA"]) === true && ctx.str(path) === "on-node" ? [error("external-ca-on-node", path, M.externalCaOnNode, M.externalCaOnNodeHint)] : [];
};

const etcdNodes = (ctx: RuleContext) => ctx.nodes.filter((n) => n.role === "etcd");

/** etcd members run on Debian (their kubelet and packages come from apt; Ignition nodes are not built for it). */
export const etcdOnDebian: Rule = (ctx) => {
  const bad = etcdNodes(ctx).filter((n) => osOf(ctx, n) !== undefined && osOf(ctx, n) !== "debian");
  return bad.length ? [error("os-etcd", [...bad[0].path, "role"], M.etcdOs(bad.map(label)), M.etcdOsHint)] : [];
};

/** Warning: an even number of etcd members adds no failure tolerance. */
export const oddEtcdMembers: Rule = (ctx) => {
  const n = etcdNodes(ctx).length;
  return n >= 2 && n % 2 === 0 ? [{ ...warning("even-etcd-members", ["spec", "nodes"], M.evenEtcd(n), M.evenEtcdHint(n)), anchor: "key" as const }] : [];
};

/** Warning: labels and taints of an etcd node go nowhere. */
export const etcdNodeLabels: Rule = (ctx) => {
  const given = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === "object" && v !== null && Object.keys(v).length > 0);
  return etcdNodes(ctx).flatMap((n) =>
    (["labels", "taints"] as const).filter((k) => given(ctx.value([...n.path, k]))).map((k) => warning("etcd-node-field", [...n.path, k], M.etcdTaintsLabels, M.etcdTaintsLabelsHint)),
  );
};

/** The ingress NodePorts lie inside the NodePort range and differ. */
export const ingressPorts: Rule = (ctx) => {
  if (!isMapping(ctx, INGRESS)) return [];
  const rangeText = ctx.strOrDefault(["spec", "kubernetes", "nodePortRange"]);
  if (!/^\d+-\d+$/.test(rangeText)) return [];
  const [from, to] = rangeText.split("-").map(Number);
  const inRange = (p: number) => p >= from && p <= to;
  const { http, https } = ingressNodePorts({ http: ctx.num([...INGRESS, "httpNodePort"]), https: ctx.num([...INGRESS, "httpsNodePort"]) }, { from, to });
  const out = [];
  for (const [key, port] of [["httpNodePort", http], ["httpsNodePort", https]] as const) {
    if (!inRange(port)) out.push(error("ingress-node-port", ctx.num([...INGRESS, key]) !== undefined ? [...INGRESS, key] : INGRESS, M.ingressPortOutside(port, rangeText), M.ingressPortOutsideHint(rangeText)));
  }
  if (http === https) out.push(error("ingress-node-port", [...INGRESS, "httpsNodePort"], M.ingressPortClash(http), M.ingressPortClashHint));
  return out;
};

/** Warning: ingress is on but no node schedules it (no worker, every control plane tainted). */
export const ingressSchedulable: Rule = (ctx) => {
  if (!isMapping(ctx, INGRESS) || !ctx.rolesComplete) return [];
  const untaintedCp = ctx.nodes.some((n) => isControlPlane(n) && Array.isArray(ctx.value([...n.path, "taints"])) && ctx.length([...n.path, "taints"]) === 0);
  const worker = ctx.nodes.some((n) => n.role === "worker");
  return worker || untaintedCp ? [] : [warning("ingress-unschedulable", INGRESS, M.ingressNoNode, M.ingressNoNodeHint)];
};

/** upgrade, editor: vim and basePackages are cloud-init's apt work: refused where a node boots with Ignition. */
export const hostOptionsForOs: Rule = (ctx) => {
  const ignition = ctx.nodes.filter((n) => {
    const os = osOf(ctx, n);
    return os !== undefined && OS_TABLE[os].provisioning === "ignition";
  });
  if (ignition.length === 0) return [];
  const asked: [string, boolean][] = [
    ["upgrade", ctx.bool([...HOST, "upgrade"]) === true],
    ["basePackages", ctx.bool([...HOST, "basePackages"]) === true],
    ["editor", ctx.str([...HOST, "editor"]) === "vim"],
  ];
  return asked.filter(([, on]) => on).map(([key]) => error("os-host-option", [...HOST, key], M.ignitionHostOption(key, ignition.map(label)), M.ignitionHostOptionHint));
};

function isMapping(ctx: RuleContext, path: Path): boolean {
  const v = ctx.value(path);
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
