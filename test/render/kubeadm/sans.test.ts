/**
 * kubeadm checks every name it requires against the PRE-ISSUED certificates (certs.go
 * validateCertificateWithConfig). Required apiserver names = node name, kubernetes.* names, first
 * service IP, advertiseAddress, controlPlaneEndpoint host (GetAPIServerAltNames) + certSANs; etcd =
 * node name, localhost, advertiseAddress, 127.0.0.1, ::1 + server/peerCertSANs. This test rebuilds
 * those sets from the RENDERED files (not from the renderer's helpers) and compares them with the
 * SANs pki/profiles.ts puts into each control plane's certificates.
 */
import { describe, expect, it } from "vitest";
import { buildModel } from "../../../generator/model/build.js";
import type { ClusterModel, NodeModel } from "../../../generator/model/types.js";
import { CERT_PROFILES } from "../../../generator/pki/profiles.js";
import { topology } from "../../helpers/profiles.js";
import { byKind, CASES, checked, documents, render } from "./support.js";

function certSANs(profile: string, model: ClusterModel, node: NodeModel): string[] {
  const s = CERT_PROFILES.find((p) => p.name === profile)!.sans({ model, node });
  return [...s.dns, ...s.ip].sort();
}

/** What kubeadm requires on `node`'s certificates, read back from the rendered configs. */
function required(model: ClusterModel, node: NodeModel) {
  const cluster = byKind(documents(render(model, model.nodes.find((n) => n.init)!)), "ClusterConfiguration");
  const own = documents(render(model, node))[0];
  const name = own.nodeRegistration.name;
  const advertise = (own.localAPIEndpoint ?? own.controlPlane.localAPIEndpoint).advertiseAddress;
  const cpeHost = String(cluster.controlPlaneEndpoint).replace(/:\d+$/, "");
  const d = cluster.networking.dnsDomain;
  const apiserver = [name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${d}`, model.kubernetes.apiServiceIP, advertise, cpeHost, ...(cluster.apiServer.certSANs ?? [])];
  const etcdBase = [name, "localhost", advertise, "127.0.0.1", "::1"];
  return {
    apiserver: [...new Set(apiserver)].sort(),
    "etcd-server": [...new Set([...etcdBase, ...(cluster.etcd.local.serverCertSANs ?? [])])].sort(),
    "etcd-peer": [...new Set([...etcdBase, ...(cluster.etcd.local.peerCertSANs ?? [])])].sort(),
  };
}

const withPublic = buildModel(
  (() => {
    const p = topology(3, 1, {}, "v1.33.2");
    p.spec.nodes = p.spec.nodes.map((n, i) => (n.role === "control-plane" ? { ...n, publicAddress: `203.0.113.${21 + i}` } : n));
    return checked(p);
  })(),
);

describe("certSANs make kubeadm accept the pre-issued certificates", () => {
  for (const { name, model } of CASES) {
    const cps = model.nodes.filter((n) => n.role === "control-plane");
    it.each(cps.map((n) => [n.name, n] as const))(`${name} %s: required names == certificate SANs`, (_, node) => {
      const req = required(model, node);
      for (const profile of ["apiserver", "etcd-server", "etcd-peer"] as const) {
        expect(req[profile], profile).toEqual(certSANs(profile, model, node));
      }
    });
  }

  it.each(withPublic.nodes.filter((n) => n.role === "control-plane").map((n) => [n.name, n] as const))(
    "with per-node public addresses, %s still passes and only its own public address is unrequired",
    (_, node) => {
      const req = required(withPublic, node).apiserver;
      const cert = certSANs("apiserver", withPublic, node);
      expect(req.filter((s) => !cert.includes(s))).toEqual([]);
      expect(cert.filter((s) => !req.includes(s))).toEqual([node.publicAddress]);
    },
  );
});
