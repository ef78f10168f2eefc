/**
 * The rehearsal plan of a profile: what scripts/cluster-up.sh must build and start to boot every node
 * of the profile as a local container, read from the generator's own model (never from the YAML
 * text), and the rehearsal rules the profile breaks, each as a sentence naming the field.
 * The rules: Debian nodes installing Kubernetes from packages (cloud-init), the air gap
 * (spec.registry.mode: airgap, with an address: nothing can be pulled here, so the cluster's own
 * registry.local is the only source of images and packages), no VLAN (this kernel has no 802.1Q),
 * the VIP balancer as host services or none, a Kubernetes minor whose packages the rehearsal can build,
 * an unsigned package repository (the rehearsal cannot sign with the operator's key), and images the
 * rehearsal knows how to build (recipes.ts).
 * Guarantees: no side effects; `problems` is empty exactly when cluster-up can proceed.
 */
import { readProfileSources } from "../../generator/io/profile-files.js";
import { buildModel } from "../../generator/model/build.js";
import { clusterImages } from "../../generator/model/images.js";
import type { ClusterModel } from "../../generator/model/types.js";
import { loadProfile } from "../../generator/profile/index.js";
import { debianPackageVersion } from "../../generator/render/cloud-init/install-kubernetes.js";
import { nodePackages } from "../../generator/render/registry/node-packages.js";
import { kubernetesDebs, recipeFor, REHEARSAL_MINORS, type DebRecipe, type ImageRecipe } from "./recipes.js";

export interface RehearsalNode {
  name: string;
  role: "control-plane" | "worker" | "etcd";
  init: boolean;
  address: string;
}

export interface RehearsalPlan {
  cluster: string;
  model: ClusterModel;
  nodes: RehearsalNode[];
  /** upstream reference (the OCI layout's ref name, as mirror.sh push reads it) → how to build it */
  images: { source: string; recipe: ImageRecipe }[];
  debs: DebRecipe[];
  /** the Debian packages of the nodes (mirror.sh save-packages ONLY=…) */
  debianPackages: string[];
  /** addresses of the node network already taken (nodes, VIP, registry, gateway) */
  taken: string[];
  problems: string[];
}

/** Loads and validates the profile (NAME or path) as `gen` does; throws with the diagnostics on error. */
export function loadModel(ref: string, cwd: string): ClusterModel {
  const { profile, diagnostics } = loadProfile(readProfileSources(ref, cwd));
  if (!profile) {
    const lines = diagnostics.filter((d) => d.severity === "error").map((d) => `${d.loc ? `${d.loc.file}:${d.loc.line}: ` : ""}${d.message}`);
    throw new Error(`the profile ${ref} is not valid (run gen validate --profile ${ref}):\n${lines.join("\n")}`);
  }
  return buildModel(profile);
}

export function rehearsalPlan(model: ClusterModel): RehearsalPlan {
  const problems: string[] = [];
  const v = model.kubernetes.version;
  for (const n of model.nodes) {
    if (n.os !== "debian") problems.push(`node ${n.name}: os ${n.os} — the rehearsal boots Debian 12 nodes only (no ${n.os} image can be fetched here)`);
    else if (n.kubernetesPackages !== "apt") problems.push(`node ${n.name}: kubernetesPackages ${n.kubernetesPackages} — the rehearsal installs Kubernetes from the air gap's package repository (apt)`);
  }
  const r = model.registry;
  if (r.mode !== "airgap") problems.push("spec.registry.mode must be airgap: nothing can be pulled here, every image and package comes from the cluster's own registry");
  else if (!r.address) problems.push("spec.registry.address is needed: the rehearsal starts the registry host at that address");
  if (r.packages.key) problems.push("spec.registry.packagesKey: the rehearsal cannot sign the package repository with your key; leave it out for the rehearsal");
  if (model.network.vlan !== undefined) problems.push(`spec.network.vlan ${model.network.vlan}: this kernel has no 802.1Q VLANs; leave vlan out for the rehearsal`);
  if (model.loadBalancer === "static-pods") problems.push("spec.controlPlane.loadBalancer static-pods: its haproxy and keepalived images cannot be built here; use host-services (the default on Debian) or none");
  if (!REHEARSAL_MINORS.includes(v.minor)) problems.push(`spec.kubernetes.version ${v.full}: the rehearsal builds the packages of v1.${REHEARSAL_MINORS.join(", v1.")} only`);

  const images: RehearsalPlan["images"] = [];
  for (const i of clusterImages(model)) {
    const source = `${i.source.registry}/${i.source.path}:${i.source.tag}`;
    const recipe = recipeFor(i.source.registry, i.source.path, i.source.tag);
    if (!recipe) problems.push(`image ${source} (${i.component}) cannot be built from source here`);
    else images.push({ source, recipe });
  }
  const debs = kubernetesDebs(v.full, v.minor, debianPackageVersion(model)) ?? [];
  const k8sNames = new Set(debs.map((d) => d.name));
  const debianPackages = nodePackages(model)
    .map((p) => p.name)
    .filter((name) => !k8sNames.has(name));
  const taken = [...model.nodes.map((n) => n.address), model.endpoint.vip, r.address, model.network.gateway].filter((a): a is string => !!a);
  return {
    cluster: model.name,
    model,
    nodes: model.nodes.map((n) => ({ name: n.name, role: n.role, init: n.init, address: n.address })),
    images,
    debs,
    debianPackages,
    taken,
    problems,
  };
}
