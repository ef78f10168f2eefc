/**
 * Semantic rules about spec.registry (listed in rules.ts). Guarantees: pure.
 */
import { messages } from "../core/messages.js";
import { error, type Path, type Rule } from "./rule-context.js";

const M = messages.profile;
const REGISTRY: Path = ["spec", "registry"];

/** airgap mode needs the registry's address (every node's /etc/hosts maps the registry name to it). */
export const registryAddress: Rule = (ctx) => {
  if (ctx.str([...REGISTRY, "mode"]) !== "airgap" || ctx.str([...REGISTRY, "address"]) !== undefined) return [];
  return [error("registry-address", [...REGISTRY, "mode"], M.registryAddress, M.registryAddressHint)];
};
