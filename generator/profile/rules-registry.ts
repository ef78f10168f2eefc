/**
 * Semantic rules about spec.registry (listed in rules.ts). Guarantees: pure.
 */
import { messages } from "../core/messages.js";
import { DEFAULTS, registryPort } from "../model/defaults.js";
import { PGP_ARMOR, pgpPublicKeyProblem } from "./openpgp.js";
import { error, type Path, type Rule } from "./rule-context.js";

const M = messages.profile;
const REGISTRY: Path = ["spec", "registry"];

/** airgap mode needs the registry's address (every node's /etc/hosts maps the registry name to it). */
export const registryAddress: Rule = (ctx) => {
  if (ctx.str([...REGISTRY, "mode"]) !== "airgap" || ctx.str([...REGISTRY, "address"]) !== undefined) return [];
  return [error("registry-address", [...REGISTRY, "mode"], M.registryAddress, M.registryAddressHint)];
};

/** The package file server and the registry run on the same host: their ports must differ. */
export const packagesPortFree: Rule = (ctx) => {
  if (ctx.str([...REGISTRY, "mode"]) !== "airgap") return [];
  const PORT: Path = [...REGISTRY, "packagesPort"];
  const registry = ctx.num([...REGISTRY, "port"]) ?? registryPort(ctx.strOrDefault([...REGISTRY, "tls"]) === "ca" ? "ca" : "insecure");
  const packages = ctx.numOrDefault(PORT);
  if (packages !== registry) return [];
  const at = ctx.num(PORT) !== undefined ? PORT : [...REGISTRY, "port"];
  return [error("registry-port-clash", at, M.registryPortClash(packages), M.registryPortClashHint(DEFAULTS.packagesPort))];
};

/**
 * packagesKey is a real armored OpenPGP public key (the schema checks only its first and last
 * line): it is written into mirror.sh and onto every node's apt keyring.
 */
export const packagesKeyValid: Rule = (ctx) => {
  const path = [...REGISTRY, "packagesKey"];
  const key = ctx.str(path);
  if (key === undefined || !PGP_ARMOR.test(key)) return [];
  const problem = pgpPublicKeyProblem(key);
  return problem ? [error("invalid-packages-key", path, problem, M.pgpKeyHint)] : [];
};
