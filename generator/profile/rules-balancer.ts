/**
 * Semantic rules about the VIP balancer (keepalived + haproxy on the control planes), listed in rules.ts.
 * The balancer runs when the endpoint has a VIP, there are two or more control planes and
 * spec.controlPlane.loadBalancer is not `none`: model/decisions.ts, which model/build.ts uses too.
 * Guarantees: pure; defaults come from model/defaults.ts.
 */
import { messages } from "../core/messages.js";
import { DEFAULTS } from "../model/defaults.js";
import { error, warning, type Path, type Rule, type RuleContext } from "./rule-context.js";
import { controlPlanesOf } from "../model/roles.js";
import { balancerPossible, balancerRuns, type BalancerFacts } from "../model/decisions.js";

const M = messages.profile;
const CP: Path = ["spec", "controlPlane"];
const PORT: Path = [...CP, "endpoint", "port"];
const BIND: Path = [...CP, "bindPort"];
const MODE: Path = [...CP, "loadBalancer"];

const facts = (ctx: RuleContext): BalancerFacts => ({ vip: ctx.str([...CP, "endpoint", "vip"]) !== undefined, controlPlanes: controlPlanesOf(ctx.nodes).length });
const mode = (ctx: RuleContext) => ctx.strOrDefault(MODE);

/** haproxy listens on the endpoint port on every control plane, so the apiserver cannot bind it too. */
export const endpointPortFree: Rule = (ctx) => {
  if (!balancerRuns({ ...facts(ctx), mode: mode(ctx) })) return [];
  const bind = ctx.numOrDefault(BIND);
  const port = ctx.numOrDefault(PORT);
  if (port !== bind) return [];
  return [error("endpoint-port-clash", ctx.num(PORT) !== undefined ? PORT : BIND, M.endpointPortClash(port, ctx.str(MODE)), M.endpointPortClashHint(DEFAULTS.balancerPort))];
};

/** Warning: loadBalancer is set where no balancer runs (no VIP, or a single control plane). */
export const balancerUnused: Rule = (ctx) => {
  const set = ctx.str(MODE);
  if (set === undefined || set === "none" || balancerPossible(facts(ctx))) return [];
  return [warning("load-balancer-unused", MODE, M.balancerUnused(set), M.balancerUnusedHint)];
};
