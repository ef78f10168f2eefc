/**
 * Builders of in-memory profiles for topology tables (no files): a base that passes validation and
 * a function that adds n control planes and m workers on 192.168.1.0/24.
 */
import type { ProfileInput } from "../../generator/profile/schema.js";

export const ADMIN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q administrator@bakraid.xyz";

export function topology(cps: number, workers: number, extra: Partial<ProfileInput["spec"]> = {}, version = "v1.31.4"): ProfileInput {
  const nodes: ProfileInput["spec"]["nodes"] = [];
  for (let i = 1; i <= cps; i++) nodes.push({ name: `cp-${i}`, role: "control-plane", address: `192.168.1.${10 + i}` });
  for (let i = 1; i <= workers; i++) {
    const address = workers <= 140 ? `192.168.1.${100 + i}` : `192.168.${2 + Math.floor((i - 1) / 200)}.${10 + ((i - 1) % 200)}`;
    nodes.push({ name: `worker-${i}`, role: "worker", address });
  }
  return {
    apiVersion: "kubeseed/v1",
    kind: "ClusterProfile",
    metadata: { name: "test" },
    spec: {
      kubernetes: { version },
      network: { cidr: workers > 140 ? "192.168.0.0/16" : "192.168.1.0/24" },
      controlPlane: cps > 1 ? { endpoint: { host: "api.test.internal", vip: "192.168.1.5" } } : undefined,
      nodes,
      admin: { name: "administrator", uid: 1000, gid: 1000, sshKeys: [ADMIN_KEY] },
      ...extra,
    },
  };
}
