/**
 * Where scripts/kube-bins.sh puts the Kubernetes programs it builds from the k8s.io/kubernetes Go
 * module: ${KUBESEED_CACHE:-$HOME/.cache/kubeseed}/kube-static/<version>/<binary> (the same rule as the script).
 * Guarantees: returns a path only for an existing executable file; never builds anything.
 */
import { accessSync, constants } from "node:fs";
import { join } from "node:path";

export type KubeBinary = "kubeadm" | "kubelet" | "kubectl" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kube-proxy";

export function kubeBinsCache(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.KUBESEED_CACHE || join(env.HOME || "/root", ".cache/kubeseed"), "kube-static");
}

/** The cached BINARY of VERSION (v1.34.10), or undefined when it has not been built. */
export function kubeBin(version: string, binary: KubeBinary, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = join(kubeBinsCache(env), version, binary);
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}
