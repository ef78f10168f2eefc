/**
 * NodeRendererId → renderer. The one table that connects plan/host-files.ts rows to the pure
 * renderers in render/. Guarantees: every id has exactly one renderer (checked by the type).
 */
import { renderPackagesKey } from "../render/cloud-init/airgap-apt.js";
import { renderInstallKubernetes } from "../render/cloud-init/install-kubernetes.js";
import { renderContainerdConfig, renderCrictlConfig } from "../render/host/containerd.js";
import { renderHosts } from "../render/host/hosts.js";
import { renderKernelModules, renderSysctl } from "../render/host/kernel.js";
import { renderFirewallUnit, renderNftables } from "../render/host/nftables.js";
import { renderSshdDropIn } from "../render/host/sshd.js";
import { renderBootstrapScript } from "../render/bootstrap/script.js";
import { renderBootstrapUnit } from "../render/bootstrap/unit.js";
import { renderFlannelManifest } from "../render/bootstrap/flannel.js";
import { renderHaproxyConfig } from "../render/balancer/haproxy.js";
import { renderKeepalivedCheck, renderKeepalivedConfig } from "../render/balancer/keepalived.js";
import { renderHaproxyPod, renderKeepalivedPod } from "../render/balancer/static-pods.js";
import { renderKubeadmConfig } from "../render/kubeadm/index.js";
import { renderAuditPolicy } from "../render/kubeadm/audit.js";
import { ignoredPreflightErrors } from "../render/kubeadm/preflight.js";
import { renderEtcdKubeletConfig, renderEtcdKubeletDropIn } from "../render/kubeadm/etcd-member.js";
import { renderIngressNginx } from "../render/addons/ingress-nginx.js";
import type { NodeRenderInput } from "../render/node-input.js";
import type { NodeRendererId } from "../plan/types.js";
import { bootstrapScriptPath, renewScriptPath } from "../plan/host-files.js";
import { renderRenewScript } from "../render/renewal/script.js";
import { renderRenewService, renderRenewTimer } from "../render/renewal/units.js";
import { renderRenewConfig } from "../render/renewal/config.js";

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
  "packages-key": (i) => renderPackagesKey(i.model),
  "kubeadm-config": renderKubeadmConfig,
  "bootstrap-script": (i) => renderBootstrapScript(i, { ignorePreflightErrors: ignoredPreflightErrors(i) }),
  "bootstrap-unit": (i) => renderBootstrapUnit(bootstrapScriptPath(i.node)),
  "renew-script": renderRenewScript,
  "renew-service": (i) => renderRenewService(renewScriptPath(i.node)),
  "renew-timer": () => renderRenewTimer(),
  "renew-config": renderRenewConfig,
  haproxy: renderHaproxyConfig,
  keepalived: renderKeepalivedConfig,
  "keepalived-check": renderKeepalivedCheck,
  "haproxy-pod": renderHaproxyPod,
  "keepalived-pod": (i) => renderKeepalivedPod(i.model),
  flannel: renderFlannelManifest,
  "ingress-nginx": renderIngressNginx,
  "audit-policy": (i) => renderAuditPolicy(i.model),
  "etcd-kubelet-config": () => renderEtcdKubeletConfig(),
  "etcd-kubelet-dropin": renderEtcdKubeletDropIn,
};
