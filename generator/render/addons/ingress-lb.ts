/**
 * output/NAME/load-balancer/haproxy.cfg: the external load balancer of seeds 000 and 001 for a separate
 * host (seed 000: "flat TCP routing of incoming requests, thus allowing SSL termination at the workload
 * level"; "configurable ... node healthchecks"), written for Debian's haproxy 2.6 as
 * /etc/haproxy/haproxy.cfg on that host. Two TCP frontends, :80 and :443, each in front of every
 * Kubernetes node's ingress NodePort (kube-proxy sends a NodePort connection on any node to a controller
 * pod, externalTrafficPolicy Cluster); TLS passes through untouched (the certificates live in the
 * cluster's Ingress secrets).
 *
 * Health checks: HTTP GET /healthz on each node's HTTP NodePort, which ingress-nginx's catch-all server
 * answers with 200 ("health checks in cloud providers require the use of port 80", its nginx.tmpl); the
 * HTTPS backend checks the same port (`check port`), so a node is taken out of both when its path to a
 * controller fails; a connection refused by a node that has just gone away is retried on another one
 * (`retries 2`, `option redispatch`). Every Kubernetes node is a backend, tainted control planes included (kube-proxy
 * forwards a NodePort on every node, wherever the controller runs); etcd members are none.
 * Guarantees: pure; servers in profile order; no `daemon`, `chroot` or `user` (systemd runs it).
 */
import type { ClusterModel } from "../../model/types.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { hostPort } from "../../core/ipv4.js";

/** The Kubernetes nodes (every node but the etcd members): each forwards its NodePorts. */
function backends(model: ClusterModel): { name: string; address: string }[] {
  return model.nodes.filter((n) => n.role !== "etcd").map((n) => ({ name: n.name, address: n.address }));
}

export function renderIngressLoadBalancer(model: ClusterModel): string {
  const ingress = model.ingress;
  if (!ingress) throw new Error("internal: the ingress load balancer planned without spec.ingress");
  const servers = (port: number) => backends(model).map((n) => `    server ${n.name} ${hostPort(n.address, port)}`).join("\n");
  const check = `check port ${ingress.httpNodePort} inter 5s downinter 5s rise 2 fall 3`;
  return `${GENERATED_HEADER.replace(/\n$/, "")}
# haproxy of the external load balancer of cluster ${model.name}: :80 and :443 to the
# ingress-nginx NodePorts ${ingress.httpNodePort} (HTTP) and ${ingress.httpsNodePort} (HTTPS) of every node.
# Install on the load balancer host as /etc/haproxy/haproxy.cfg (Debian: apt install haproxy).
global
    log stdout format raw local0 info

defaults
    mode tcp
    log global
    option tcplog
    option dontlognull
    retries 2
    option redispatch
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout check 5s

frontend http
    bind *:80
    default_backend ingress-http

frontend https
    bind *:443
    default_backend ingress-https

backend ingress-http
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server ${check}
${servers(ingress.httpNodePort)}

backend ingress-https
    balance source
    option httpchk GET /healthz
    http-check expect status 200
    default-server ${check}
${servers(ingress.httpsNodePort)}
`;
}
