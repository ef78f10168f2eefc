/**
 * The static-pod flavour of the VIP balancer (spec.controlPlane.loadBalancer: static-pods, as in
 * kubeadm's HA guide): /etc/kubernetes/manifests/haproxy.yaml and keepalived.yaml, started by the
 * kubelet as soon as kubeadm starts it (init or control-plane join) and before the control plane
 * itself. kubeadm's preflight checks only its own four manifests in that folder
 * (cmd/kubeadm/app/preflight/checks.go InitNodeChecks: FileAvailableCheck per component), so these
 * two extra files need no ignored check.
 * Both pods use the host network and read the same files the host-services flavour uses.
 * Guarantees: pure; images from model/images.ts BALANCER_IMAGES through imageRef (registry.local in airgap mode).
 */
import { BALANCER_IMAGES, imageRef } from "../../model/images.js";
import type { ClusterModel } from "../../model/types.js";
import type { NodeRenderInput } from "../node-input.js";
import { yamlDocument } from "../yaml.js";
import { HAPROXY_CONFIG, KEEPALIVED_CHECK, KEEPALIVED_CONFIG } from "./common.js";
import { CLUSTER_CA } from "./haproxy.js";


interface Mount {
  name: string;
  host: string;
  container: string;
}

function pod(name: string, container: Record<string, unknown>, mounts: Mount[]): string {
  return yamlDocument({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "kube-system", labels: { component: name, tier: "control-plane" } },
    spec: {
      containers: [{ name, ...container, volumeMounts: mounts.map((m) => ({ name: m.name, mountPath: m.container, readOnly: true })) }],
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      volumes: mounts.map((m) => ({ name: m.name, hostPath: { path: m.host, type: "File" } })),
    },
  });
}

export function renderHaproxyPod(input: NodeRenderInput): string {
  const port = input.model.endpoint.port;
  return pod(
    "haproxy",
    {
      image: imageRef(input.model, BALANCER_IMAGES.haproxy),
      livenessProbe: { failureThreshold: 8, tcpSocket: { host: "127.0.0.1", port }, periodSeconds: 10 },
    },
    [
      { name: "config", host: HAPROXY_CONFIG, container: "/usr/local/etc/haproxy/haproxy.cfg" },
      { name: "ca", host: CLUSTER_CA, container: CLUSTER_CA },
    ],
  );
}

export function renderKeepalivedPod(model: ClusterModel): string {
  return pod(
    "keepalived",
    {
      image: imageRef(model, BALANCER_IMAGES.keepalived),
      args: ["--copy-service"],
      securityContext: { capabilities: { add: ["NET_ADMIN", "NET_BROADCAST", "NET_RAW"] } },
    },
    [
      { name: "config", host: KEEPALIVED_CONFIG, container: "/container/service/keepalived/assets/keepalived.conf" },
      { name: "check", host: KEEPALIVED_CHECK, container: KEEPALIVED_CHECK },
      { name: "ca", host: CLUSTER_CA, container: CLUSTER_CA },
    ],
  );
}
