/**
 * What the benchmark generates: a profile file of 3 control planes + N workers (pre-issued kubelet
 * certificates, the given key algorithm) written as a user would keep it, and the certificate set
 * that profile plans, as the tab-separated spec bench/openssl-certs.sh reads (the baseline makes
 * exactly these certificates with the openssl CLI).
 * Guarantees: the profile is the same topology the tests use (test/helpers/profiles.ts); the spec
 * comes from the generator's own plan, so both sides make the same certificates with the same
 * subjects, usages and SANs.
 */
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { buildModel } from "../generator/model/build.js";
import { planCluster } from "../generator/plan/plan.js";
import { CA_COMMON_NAMES } from "../generator/pki/cert-rules.js";
import type { KeyAlgorithm } from "../generator/profile/schema.js";
import { topology } from "../test/helpers/profiles.js";

export const CONTROL_PLANES = 3;

export function benchProfile(alg: KeyAlgorithm, workers: number) {
  return topology(CONTROL_PLANES, workers, { pki: { keyAlgorithm: alg, workerKubelet: "pre-issued" } });
}

/** Writes the profile of the case to `file` (YAML, as `gen --profile FILE` reads it). */
export function writeBenchProfile(file: string, alg: KeyAlgorithm, workers: number): void {
  writeFileSync(file, stringify(benchProfile(alg, workers)));
}

/** openssl's -subj form: /O=…/CN=…, with '/' and '\' in values escaped. */
const subj = (orgs: string[], cn: string) => [...orgs.map((o) => `O=${o}`), `CN=${cn}`].map((p) => "/" + p.replace(/[\\/]/g, "\\$&")).join("");

/**
 * Writes the spec of every certificate the profile plans (one line each: file name, signer CA file
 * name, subject, extendedKeyUsage, subjectAltName) to `file`; returns the number of leaves and
 * the number of keys the generator makes for them on a first run (CAs + service account + leaves).
 */
export function writeOpensslSpec(file: string, alg: KeyAlgorithm, workers: number): { leaves: number; keys: number; validityDays: number } {
  const plan = planCluster(buildModel(benchProfile(alg, workers)));
  const lines = plan.certs.map((c) => {
    const sans = [...new Set(c.dnsNames)].map((d) => `DNS:${d}`).concat([...new Set(c.ipAddresses)].map((ip) => `IP:${ip}`));
    return [c.id.replace(/[^A-Za-z0-9.-]/g, "_"), CA_COMMON_NAMES[c.signer], subj(c.organizations, c.commonName), c.extKeyUsages.join(","), sans.join(",")].join("\t");
  });
  writeFileSync(file, lines.join("\n") + "\n");
  const cas = new Set(["kubernetes", "etcd", "front-proxy", ...plan.certs.map((c) => c.signer)]).size;
  return { leaves: plan.certs.length, keys: cas + 1 + plan.certs.length, validityDays: Math.ceil(plan.model.pki.certValidityHours / 24) };
}
