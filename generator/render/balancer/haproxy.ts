/**
 * /etc/haproxy/haproxy.cfg on every control plane: a TCP frontend on the endpoint port (all addresses,
 * so also the VIP while keepalived puts it here) in front of every control plane's kube-apiserver,
 * with HTTPS health checks of /healthz (readable without credentials) that verify the apiserver's
 * certificate chain against the cluster CA. Seed 001's frontend/backend, with the check made over TLS
 * (its `ssl-hello-chk` only proves that something speaks TLS).
 * The same file serves Debian's haproxy 2.6 (systemd, runs as root) and the haproxy image of the
 * static pod: no `daemon`, `chroot` or `user` lines, logs to stdout (the journal, or the pod log).
 * No global maxconn: haproxy derives it from the open-file limit it gets (a fixed value above that
 * limit makes it refuse to start). `option redispatch` sends the one retry of a failed connect to
 * another control plane: without it, in the seconds before the health checks mark a dead control plane
 * down, a client's connection went to it twice (2 × 5 s) and timed out its TLS handshake (client-go
 * gives up after 10 s), as the rehearsal cluster's VIP failover showed. Guarantees: pure; backends in
 * node order. Long client/server timeouts keep `kubectl … --watch` and the kubelets' watches open.
 */
import { PKI_DIR } from "../../plan/plan.js";
import type { NodeRenderInput } from "../node-input.js";
import { controlPlanes } from "./common.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { hostPort } from "../../core/ipv4.js";

export const CLUSTER_CA = `${PKI_DIR}/ca.crt`;

export function renderHaproxyConfig(input: NodeRenderInput): string {
  const { model, node } = input;
  const servers = controlPlanes(model).map((cp) => `    server ${cp.name} ${hostPort(cp.address, model.bindPort)}`);
  return `${GENERATED_HEADER}# haproxy on ${node.name}: the API endpoint ${model.endpoint.controlPlaneEndpoint} in front of every control plane.
global
    log stdout format raw local0 info

defaults
    mode tcp
    log global
    option tcplog
    option dontlognull
    option redispatch
    retries 1
    timeout connect 5s
    timeout client 24h
    timeout server 24h
    timeout check 5s

frontend kube-apiserver
    bind *:${model.endpoint.port}
    default_backend kube-apiserver

backend kube-apiserver
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server check check-ssl verify required ca-file ${CLUSTER_CA} inter 5s downinter 5s rise 2 fall 3
${servers.join("\n")}
`;
}
