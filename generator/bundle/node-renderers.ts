/**
 * NodeRendererId → renderer. The one table that connects plan/host-files.ts rows to the pure
 * renderers in render/. Guarantees: every id has exactly one renderer (checked by the type).
 */
import { renderInstallKubernetes } from "../render/cloud-init/install-kubernetes.js";
import type { NodeRenderInput } from "../render/node-input.js";
import type { NodeRendererId } from "../plan/types.js";

const pending = (id: string) => () => {
  throw new Error(`internal: renderer ${id} is not wired yet`);
};

export const NODE_RENDERERS: Record<NodeRendererId, (input: NodeRenderInput) => string> = {
  hosts: pending("hosts"),
  sshd: pending("sshd"),
  modules: pending("modules"),
  sysctl: pending("sysctl"),
  containerd: pending("containerd"),
  crictl: pending("crictl"),
  nftables: pending("nftables"),
  "firewall-unit": pending("firewall-unit"),
  "install-kubernetes": (i) => renderInstallKubernetes(i.model),
  "kubeadm-config": pending("kubeadm-config"),
  "bootstrap-script": pending("bootstrap-script"),
  "bootstrap-unit": pending("bootstrap-unit"),
  flannel: pending("flannel"),
};
