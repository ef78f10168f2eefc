/**
 * The semantic rules of a profile: a table of small named functions (STYLE rules 5 and 9).
 * Each rule sees the merged profile through rule-context.ts, so it runs on the structurally valid
 * parts even when other parts are broken, and every problem is reported in one run.
 * Guarantees: pure; runRules() runs every rule and concatenates their findings in table order.
 * Address and network rules are in rules-network.ts, key and certificate rules in rules-pki.ts;
 * per-field syntax (RFC 1123 names, IPv4 syntax, integer ranges) is in schema.ts.
 */
import { formatPath } from "../core/diagnostics.js";
import { messages } from "../core/messages.js";
import { lookupVersion, newestPatchOf, NEWEST_SUPPORTED, OLDEST_SUPPORTED, versionParts } from "../model/versions.js";
import type { Finding } from "./locate.js";
import { balancerUnused, endpointPortFree } from "./rules-balancer.js";
import { balancerForOs, packagesForOs } from "./rules-os.js";
import { packagesKeyValid, packagesPortFree, registryAddress } from "./rules-registry.js";
import { error, ruleContext, warning, type Path, type Rule } from "./rule-context.js";
import {
  addressesInNetwork,
  cidrsAreNetworks,
  cidrsDisjoint,
  distinctInterfaces,
  gatewayInNetwork,
  nodePortRangeValid,
  uniqueAddresses,
  vipInNetwork,
  vlanInterfaceName,
} from "./rules-network.js";
import { adminIdsFree, etcdNodeLabels, etcdOnDebian, externalCaKubelet, externalCaOnNode, hostOptionsForOs, ingressPorts, ingressSchedulable, oddEtcdMembers } from "./rules-options.js";
import { SYSTEM_ACCOUNTS } from "./syntax.js";
import { ecdsaRenewal, extraSansValid, keyAlgorithmSupported, renewalOff, renewalWindow, sshKeysParse, strictSshKeys, validityOrder } from "./rules-pki.js";
import { controlPlanesOf } from "../model/roles.js";

const M = messages.profile;
const NODES: Path = ["spec", "nodes"];

/** List-level findings point at the key that names the list or mapping, not at its first item. */
const atKey = (f: Finding): Finding => ({ ...f, anchor: "key" });

/** Node names are unique. */
export const uniqueNodeNames: Rule = (ctx) => {
  const seen = new Map<string, Path>();
  const out: Finding[] = [];
  for (const n of ctx.nodes) {
    if (n.name === undefined) continue;
    const first = seen.get(n.name);
    if (first) out.push(error("duplicate-node-name", [...n.path, "name"], M.duplicateNodeName(n.name, formatPath(first)), M.duplicateNodeNameHint));
    else seen.set(n.name, n.path);
  }
  return out;
};

const controlPlanes = (ctx: Parameters<Rule>[0]) => controlPlanesOf(ctx.nodes).length;

/** At least one node is a control plane (checked only when every role is readable). */
export const controlPlanePresent: Rule = (ctx) =>
  ctx.rolesComplete && ctx.nodes.length > 0 && controlPlanes(ctx) === 0 ? [atKey(error("no-control-plane", NODES, M.noControlPlane, M.noControlPlaneHint))] : [];

/** More than one control plane needs spec.controlPlane.endpoint with a host or a vip. */
export const endpointForHA: Rule = (ctx) => {
  const n = controlPlanes(ctx);
  const endpoint = ["spec", "controlPlane", "endpoint"];
  if (n < 2 || ctx.str([...endpoint, "host"]) !== undefined || ctx.str([...endpoint, "vip"]) !== undefined) return [];
  return [atKey(error("endpoint-required", endpoint, M.endpointRequired(n), M.endpointRequiredHint))];
};

/** Warning: an even number of control planes (etcd members, unless dedicated etcd nodes hold etcd) adds no failure tolerance. */
export const oddControlPlanes: Rule = (ctx) => {
  if (ctx.nodes.some((n) => n.role === "etcd")) return [];
  const n = controlPlanes(ctx);
  return n >= 2 && n % 2 === 0 ? [atKey(warning("even-control-planes", NODES, M.evenControlPlanes(n), M.evenControlPlanesHint(n)))] : [];
};

/** The Kubernetes version is one of model/versions.ts (kubeadm's image tags are known for it). */
export const supportedVersion: Rule = (ctx) => {
  const path = ["spec", "kubernetes", "version"];
  const v = ctx.str(path);
  if (v === undefined || !versionParts(v) || lookupVersion(v)) return [];
  const newest = newestPatchOf(v);
  const [major, minor] = versionParts(v) as [number, number, number];
  const hint = newest ? M.unsupportedVersionNewestPatch(newest, `v${major}.${minor}`) : M.unsupportedVersionRange(OLDEST_SUPPORTED, NEWEST_SUPPORTED);
  return [error("unsupported-version", path, M.unsupportedVersion(v), hint)];
};

/** RBAC user names are unique. */
export const uniqueUsers: Rule = (ctx) => {
  const seen = new Map<string, Path>();
  const out: Finding[] = [];
  for (let i = 0; i < ctx.length(["spec", "users"]); i++) {
    const path = ["spec", "users", i, "name"];
    const name = ctx.str(path);
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first) out.push(error("duplicate-user", path, M.duplicateUser(name, formatPath(first)), M.duplicateUserHint));
    else seen.set(name, path);
  }
  return out;
};

/** The admin is a new account: root or a system account of the node image would be taken over. */
export const adminNotSystemAccount: Rule = (ctx) => {
  const path = ["spec", "admin", "name"];
  const name = ctx.str(path);
  return name !== undefined && SYSTEM_ACCOUNTS.includes(name) ? [error("admin-system-account", path, M.adminSystemAccount(name), M.adminSystemAccountHint)] : [];
};

/** Every rule, by name. Order only decides the order of findings before they are sorted. */
export const RULES: Readonly<Record<string, Rule>> = {
  uniqueNodeNames,
  uniqueAddresses,
  addressesInNetwork,
  vipInNetwork,
  gatewayInNetwork,
  cidrsAreNetworks,
  cidrsDisjoint,
  distinctInterfaces,
  vlanInterfaceName,
  nodePortRangeValid,
  controlPlanePresent,
  endpointForHA,
  endpointPortFree,
  balancerUnused,
  packagesForOs,
  balancerForOs,
  registryAddress,
  packagesPortFree,
  packagesKeyValid,
  oddControlPlanes,
  supportedVersion,
  keyAlgorithmSupported,
  ecdsaRenewal,
  sshKeysParse,
  strictSshKeys,
  extraSansValid,
  uniqueUsers,
  adminNotSystemAccount,
  validityOrder,
  renewalWindow,
  renewalOff,
  adminIdsFree,
  externalCaKubelet,
  externalCaOnNode,
  etcdOnDebian,
  oddEtcdMembers,
  etcdNodeLabels,
  ingressPorts,
  ingressSchedulable,
  hostOptionsForOs,
};

/** Runs every rule on the merged profile (any shape). */
export function runRules(doc: unknown): Finding[] {
  const ctx = ruleContext(doc);
  return Object.values(RULES).flatMap((rule) => rule(ctx));
}
