/**
 * Kubeconfig renderer, in kubeadm's layout (cluster name, context `<user>@<cluster>`, embedded data).
 * Guarantees: pure; the same inputs give the same bytes.
 */
import { yamlDocument } from "./yaml.js";

export interface KubeconfigInput {
  clusterName: string;
  server: string;
  caCertPem: string;
  userName: string;
  /** client certificate auth */
  clientCertPem?: string;
  clientKeyPem?: string;
  /** bootstrap token auth (`<id>.<secret>`) */
  token?: string;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

export function renderKubeconfig(k: KubeconfigInput): string {
  const context = `${k.userName}@${k.clusterName}`;
  const user: Record<string, string> = k.token
    ? { token: k.token }
    : { "client-certificate-data": b64(k.clientCertPem ?? ""), "client-key-data": b64(k.clientKeyPem ?? "") };
  return yamlDocument({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ cluster: { "certificate-authority-data": b64(k.caCertPem), server: k.server }, name: k.clusterName }],
    contexts: [{ context: { cluster: k.clusterName, user: k.userName }, name: context }],
    "current-context": context,
    preferences: {},
    users: [{ name: k.userName, user }],
  });
}
