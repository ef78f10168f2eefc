/**
 * Shared facts of the VIP balancer (keepalived + haproxy on every control plane, seed 001 and
 * kubeadm's HA guide): the control-plane backends and each node's VRRP role (on-node paths come
 * from plan/host-files.ts).
 * Guarantees: pure; the init node (the first control plane) is the VRRP MASTER at priority 101 so the
 * VIP sits where `kubeadm init` runs; every other control plane is a BACKUP at 100. The check script
 * subtracts 2 on failure, which drops a failing MASTER (99) below every healthy BACKUP.
 */
import type { ClusterModel, NodeModel } from "../../model/types.js";

export { HAPROXY_CONFIG, KEEPALIVED_CHECK, KEEPALIVED_CONFIG } from "../../plan/host-files.js";
import { controlPlanesOf } from "../../model/roles.js";

export const VRRP = { masterPriority: 101, backupPriority: 100, checkWeight: -2, checkInterval: 3, fall: 10, rise: 2 } as const;

export function controlPlanes(model: ClusterModel): NodeModel[] {
  return controlPlanesOf(model.nodes);
}

export function vrrpRole(node: NodeModel): { state: "MASTER" | "BACKUP"; priority: number } {
  return node.init ? { state: "MASTER", priority: VRRP.masterPriority } : { state: "BACKUP", priority: VRRP.backupPriority };
}

/** The VIP of a model that runs the balancer (model/build.ts only enables it with a VIP). */
export function balancerVip(model: ClusterModel): string {
  if (!model.endpoint.vip) throw new Error("internal: the VIP balancer needs an endpoint VIP");
  return model.endpoint.vip;
}
