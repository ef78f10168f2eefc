/**
 * NodeRendererId → renderer. The one table that connects plan/host-files.ts rows to the pure
 * renderers in render/. Guarantees: every id has exactly one renderer (checked by the type).
 */
import { renderInstallKubernetes } from "../render/cloud-init/install-kubernetes.js";
import { renderContainerdConfig, renderCrictlConfig } from "../render/host/containerd.js";
import { renderHosts } from "../render/host/hosts.js";
import { renderKernelModules, renderSysctl } from "../render/host/kernel.js";
import { renderFirewallUnit, renderNftables } from "../render/host/nftables.js";
import { renderSshdDropIn } from "../render/host/sshd.js";
import type { NodeRenderInput } from "../render/node-input.js";
import type { NodeRendererId } from "../plan/types.js";

const pending = (id: string) => () => {
  throw new Error(`internal: renderer ${id} is not wired yet`);
};

export const NODE_RENDERERS: Record<NodeRendererId, (input: NodeRenderInput) => string> = {
  hosts: renderHosts,
  sshd: (i) => renderSshdDropIn(i.model),
  modules: () => renderKernelModules(),
  sysctl: () => renderSysctl(),
  containerd: renderContainerdConfig,
  crictl: () => renderCrictlConfig(),
  nftables: renderNftables,
  "firewall-unit": () => renderFirewallUnit(),
  "install-kubernetes": (i) => renderInstallKubernetes(i.model),
  "kubeadm-config": pending("kubeadm-config"),
  "bootstrap-script": pending("bootstrap-script"),
  "bootstrap-unit": pending("bootstrap-unit"),
  flannel: pending("flannel"),
};
