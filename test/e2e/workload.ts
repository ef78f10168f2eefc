/**
 * A small workload for judging a rehearsal cluster from the inside: a busybox image built from Debian's
 * busybox-static (the rehearsal's own image builder) and pushed to the cluster's registry.local, one
 * web pod pinned to each chosen node (busybox httpd answering its node's name) and a ClusterIP Service
 * in front of them. Pods reach each other over flannel's VXLAN, the Service through kube-proxy, names
 * through CoreDNS.
 * Guarantees: only the test's own namespace (e2e) and image are created; nothing on a node is edited.
 */
import { join } from "node:path";
import { imageLayout } from "../../scripts/rehearsal/build.js";
import { withRegistryName } from "../../scripts/rehearsal/up.js";
import { kubectl, kubectlOk, type Cluster } from "./support.js";

export const NAMESPACE = "e2e";

/** registry.local/<prefix>/e2e/toolbox:1, pushed by skopeo with the registry's CA. */
export function pushToolbox(c: Cluster): string {
  const ref = `${c.plan.model.registry.repository}/e2e/toolbox:1`;
  const source = "kubeseed.invalid/e2e/toolbox:1";
  const layout = imageLayout([{ source, recipe: { files: [], userland: "busybox", labels: { "org.opencontainers.image.title": "kubeseed e2e toolbox (busybox)" } } }]);
  const tls = c.plan.model.registry.tls === "ca" ? ["--dest-cert-dir", join(c.output, "registry")] : ["--dest-tls-verify=false"];
  withRegistryName(c.plan, c.workdir, ["skopeo", "copy", ...tls, `oci:${layout}:${source}`, `docker://${ref}`]);
  return ref;
}

function webPod(node: string, image: string): unknown {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `web-${node}`, namespace: NAMESPACE, labels: { app: "web" } },
    spec: {
      nodeName: node,
      tolerations: [{ operator: "Exists" }],
      containers: [
        {
          name: "web",
          image,
          command: ["sh", "-c", 'mkdir -p /www && echo "$NODE" > /www/index.html && exec httpd -f -p 8080 -h /www'],
          env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2 },
        },
      ],
    },
  };
}

/** Namespace, one web pod per node in `nodes`, the web Service; waits until every pod is Ready. */
export function deployWeb(c: Cluster, nodes: string[], image: string): void {
  const docs = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } },
    ...nodes.map((n) => webPod(n, image)),
    { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: NAMESPACE }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } },
  ];
  kubectlOk(c, ["apply", "-f", "-"], docs.map((d) => JSON.stringify(d)).join("\n"));
  const w = kubectl(c, ["-n", NAMESPACE, "wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=600s"], c.admin, undefined, 660_000);
  if (w.status !== 0) throw new Error(`the web pods did not become Ready: ${w.out}\n${kubectl(c, ["-n", NAMESPACE, "describe", "pods"]).out.slice(-3000)}`);
}

/** Pod IP of web-NODE. */
export function podIP(c: Cluster, node: string): string {
  return kubectlOk(c, ["-n", NAMESPACE, "get", "pod", `web-${node}`, "-o", "jsonpath={.status.podIP}"]).trim();
}

/** A shell command inside web-NODE. */
export function inPod(c: Cluster, node: string, command: string) {
  return kubectl(c, ["-n", NAMESPACE, "exec", `web-${node}`, "--", "sh", "-c", command], c.admin, undefined, 120_000);
}
