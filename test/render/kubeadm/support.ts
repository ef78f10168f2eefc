/**
 * The topologies of the kubeadm renderer tests, built like real profiles (topology() + buildModel,
 * and checked by loadProfile so no test runs on a profile the validator would reject), with fixed
 * join data, plus a parser of the rendered multi-document file.
 */
import { parseAllDocuments, stringify } from "yaml";
import { buildModel } from "../../../generator/model/build.js";
import type { ClusterModel, NodeModel } from "../../../generator/model/types.js";
import { loadProfile, type ProfileInput } from "../../../generator/profile/index.js";
import { renderKubeadmConfig } from "../../../generator/render/kubeadm/index.js";
import type { JoinData } from "../../../generator/render/node-input.js";
import { topology } from "../../helpers/profiles.js";

export const JOIN: JoinData = { token: "abcdef.0123456789abcdef", caCertHash: "sha256:" + "ab".repeat(32) };

export function checked(profile: ProfileInput): ProfileInput {
  const { profile: ok, diagnostics } = loadProfile([{ file: "test.yaml", text: stringify(profile) }]);
  if (!ok) throw new Error(`test profile is invalid: ${diagnostics.map((d) => d.message).join("; ")}`);
  return ok;
}

function withWorkerExtras(p: ProfileInput): ProfileInput {
  const nodes = p.spec.nodes.map((n) =>
    n.role === "worker"
      ? {
          ...n,
          labels: { "node-role.kubernetes.io/worker": "", "node.kubernetes.io/pool": "general", "example.com/tier": "web" },
          taints: [{ key: "example.com/dedicated", value: "web", effect: "NoSchedule" as const }],
        }
      : n,
  );
  return { ...p, spec: { ...p.spec, nodes } };
}

export interface Case {
  name: string;
  model: ClusterModel;
}

export const CASES: Case[] = [
  {
    name: "v1.31-1cp-1w",
    model: buildModel(checked(topology(1, 1, { pki: { keyAlgorithm: "rsa-3072", apiServerExtraSANs: ["api.example.com", "203.0.113.10"] } }, "v1.31.4"))),
  },
  { name: "v1.34-ha-3cp-3w", model: buildModel(checked(topology(3, 3, {}, "v1.34.1"))) },
  { name: "v1.30-1cp-1w", model: buildModel(checked(withWorkerExtras(topology(1, 1, {}, "v1.30.5")))) },
];

export function render(model: ClusterModel, node: NodeModel): string {
  return renderKubeadmConfig({ model, node, join: JOIN });
}

/** The rendered documents as plain objects; throws on any YAML error. */
export function documents(text: string): Record<string, any>[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join("; "));
    return d.toJSON();
  });
}

export function byKind(docs: Record<string, any>[], kind: string): Record<string, any> {
  const doc = docs.find((d) => d.kind === kind);
  if (!doc) throw new Error(`no ${kind} document`);
  return doc;
}
