/**
 * Semantic rules about the node operating systems (listed in rules.ts): what spec.host asks for must
 * work on every node's OS (model/os.ts). A node's OS is nodes[].os, else spec.host.os, else Debian
 * (model/decisions.ts nodeOsOf, as the model decides it).
 * Guarantees: pure; one finding per offending setting, naming the nodes that cannot honour it.
 */
import { messages } from "../core/messages.js";
import { nodeOsOf } from "../model/decisions.js";
import { OS_TABLE, type KubernetesPackages, type NodeOs } from "../model/os.js";
import { error, type NodeFact, type Path, type Rule, type RuleContext } from "./rule-context.js";
import { controlPlanesOf } from "../model/roles.js";

const M = messages.profile;
const PACKAGES: Path = ["spec", "host", "kubernetesPackages"];
const BALANCER: Path = ["spec", "controlPlane", "loadBalancer"];

function osOf(ctx: RuleContext, n: NodeFact): NodeOs | undefined {
  const os = nodeOsOf(ctx.str([...n.path, "os"]), ctx.str(["spec", "host", "os"]));
  return os in OS_TABLE ? (os as NodeOs) : undefined;
}

/** "name (os)" of the nodes whose OS fails the test, in profile order. */
function offenders(ctx: RuleContext, nodes: NodeFact[], fails: (os: NodeOs) => boolean): string[] {
  return nodes.flatMap((n) => {
    const os = osOf(ctx, n);
    return os && fails(os) ? [`${n.name ?? `nodes[${n.index}]`} (${os})`] : [];
  });
}

/** apt only on Debian; Ignition downloads only on Fedora CoreOS and Flatcar. */
export const packagesForOs: Rule = (ctx) => {
  const set = ctx.str(PACKAGES) as KubernetesPackages | undefined;
  if (set === undefined) return [];
  const bad = offenders(ctx, ctx.nodes, (os) => !OS_TABLE[os].packages.includes(set));
  return bad.length ? [error("os-packages", PACKAGES, M.osPackages(set, bad), M.osPackagesHint)] : [];
};

/** haproxy and keepalived as host services need an OS that installs packages on every control plane. */
export const balancerForOs: Rule = (ctx) => {
  if (ctx.str(BALANCER) !== "host-services") return [];
  const cps = controlPlanesOf(ctx.nodes);
  const bad = offenders(ctx, cps, (os) => !OS_TABLE[os].hostServices);
  return bad.length ? [error("os-balancer", BALANCER, M.osBalancer(bad), M.osBalancerHint)] : [];
};
