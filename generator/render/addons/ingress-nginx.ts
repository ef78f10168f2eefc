/**
 * renderIngressNginx: /etc/kubernetes/kubeseed/ingress-nginx.yaml (0644) on the init node, applied by
 * kubeseed-bootstrap after the CNI (seeds 000 and 001: public traffic reaches workloads through an
 * ingress controller on NodePorts behind an external load balancer). Written after ingress-nginx's
 * bare-metal manifest (deploy/static/provider/baremetal/deploy.yaml of the release in model/images.ts,
 * read at controller v1.15.1): namespace, ServiceAccount, Role/ClusterRole and bindings, the controller's
 * ConfigMap, the NodePort Service, the Deployment and the `nginx` IngressClass.
 *
 * Differences from upstream, all on purpose:
 * - the Service's nodePorts are fixed (ingress.httpNodePort / httpsNodePort, inside the NodePort range
 *   the firewall opens), so the external load balancer's config (ingress-lb.ts) can name them;
 * - no admission webhook (its Service, the two certgen Jobs, their RBAC and the
 *   ValidatingWebhookConfiguration): the webhook only pre-checks Ingress objects, and with failurePolicy
 *   Fail an unreachable controller blocks every Ingress change; the controller validates on load anyway;
 * - `nginx` is the default IngressClass, so an Ingress without ingressClassName is served;
 * - replicas from the profile (upstream leaves the Deployment at 1), spread over nodes by a preferred
 *   anti-affinity, and a toleration of the control-plane taint is NOT added: untainted control planes
 *   (`taints: []`) run it, tainted ones do not;
 * - images from imageRef (the registry in airgap mode, digest-pinned as upstream pins them).
 * Guarantees: pure; documents in a fixed order, each apiVersion, kind, metadata, then the body.
 */
import { imageRef, ingressNginxImages } from "../../model/images.js";
import type { ClusterModel, IngressModel } from "../../model/types.js";
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";
import { toYaml } from "../yaml.js";

export const INGRESS_NAMESPACE = "ingress-nginx";
const NAME = "ingress-nginx";
const CONTROLLER = "ingress-nginx-controller";
const base = { "app.kubernetes.io/instance": NAME, "app.kubernetes.io/name": NAME };
const labels = { "app.kubernetes.io/component": "controller", ...base };
const meta = (name: string, namespaced = true, l: Record<string, string> = labels) => ({ labels: l, name, ...(namespaced ? { namespace: INGRESS_NAMESPACE } : {}) });
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({ apiGroups, ...(resourceNames ? { resourceNames } : {}), resources, verbs });
const READ = ["get", "list", "watch"];

function rbac(): unknown[] {
  const role = [
    rule([""], ["namespaces"], ["get"]),
    rule([""], ["configmaps", "pods", "secrets", "endpoints"], READ),
    rule([""], ["services"], READ),
    rule(["networking.k8s.io"], ["ingresses"], READ),
    rule(["networking.k8s.io"], ["ingresses/status"], ["update"]),
    rule(["networking.k8s.io"], ["ingressclasses"], READ),
    rule(["coordination.k8s.io"], ["leases"], ["get", "update"], ["ingress-nginx-leader"]),
    rule(["coordination.k8s.io"], ["leases"], ["create"]),
    rule([""], ["events"], ["create", "patch"]),
    rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch", "get"]),
  ];
  const clusterRole = [
    rule([""], ["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"], ["list", "watch"]),
    rule(["coordination.k8s.io"], ["leases"], ["list", "watch"]),
    rule([""], ["nodes"], ["get"]),
    rule([""], ["services"], READ),
    rule(["networking.k8s.io"], ["ingresses"], READ),
    rule([""], ["events"], ["create", "patch"]),
    rule(["networking.k8s.io"], ["ingresses/status"], ["update"]),
    rule(["networking.k8s.io"], ["ingressclasses"], READ),
    rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch", "get"]),
  ];
  const subjects = [{ kind: "ServiceAccount", name: NAME, namespace: INGRESS_NAMESPACE }];
  const rbacGroup = "rbac.authorization.k8s.io";
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(NAME), automountServiceAccountToken: true },
    { apiVersion: `${rbacGroup}/v1`, kind: "Role", metadata: meta(NAME), rules: role },
    { apiVersion: `${rbacGroup}/v1`, kind: "ClusterRole", metadata: meta(NAME, false, base), rules: clusterRole },
    { apiVersion: `${rbacGroup}/v1`, kind: "RoleBinding", metadata: meta(NAME), roleRef: { apiGroup: rbacGroup, kind: "Role", name: NAME }, subjects },
    { apiVersion: `${rbacGroup}/v1`, kind: "ClusterRoleBinding", metadata: meta(NAME, false, base), roleRef: { apiGroup: rbacGroup, kind: "ClusterRole", name: NAME }, subjects },
  ];
}

function service(ingress: IngressModel): unknown {
  const port = (name: string, p: number, nodePort: number) => ({ appProtocol: name, name, nodePort, port: p, protocol: "TCP", targetPort: name });
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(CONTROLLER),
    spec: {
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      ports: [port("http", 80, ingress.httpNodePort), port("https", 443, ingress.httpsNodePort)],
      selector: labels,
      type: "NodePort",
    },
  };
}

function deployment(model: ClusterModel, ingress: IngressModel): unknown {
  const probe = (failureThreshold: number) => ({ failureThreshold, httpGet: { path: "/healthz", port: 10254, scheme: "HTTP" }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 });
  const env = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const container = {
    args: ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader", "--controller-class=k8s.io/ingress-nginx", "--ingress-class=nginx", `--configmap=$(POD_NAMESPACE)/${CONTROLLER}`],
    env: [env("POD_NAME", "metadata.name"), env("POD_NAMESPACE", "metadata.namespace"), { name: "LD_PRELOAD", value: "/usr/local/lib/libmimalloc.so" }],
    image: imageRef(model, ingressNginxImages(model).controller),
    imagePullPolicy: "IfNotPresent",
    lifecycle: { preStop: { exec: { command: ["/wait-shutdown"] } } },
    livenessProbe: probe(5),
    name: "controller",
    ports: [
      { containerPort: 80, name: "http", protocol: "TCP" },
      { containerPort: 443, name: "https", protocol: "TCP" },
    ],
    readinessProbe: probe(3),
    resources: { requests: { cpu: "100m", memory: "90Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
      readOnlyRootFilesystem: false,
      runAsGroup: 82,
      runAsNonRoot: true,
      runAsUser: 101,
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
  const spread = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" } }] } };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(CONTROLLER),
    spec: {
      minReadySeconds: 0,
      replicas: ingress.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxUnavailable: 1 }, type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          affinity: spread,
          automountServiceAccountToken: true,
          containers: [container],
          dnsPolicy: "ClusterFirst",
          nodeSelector: { "kubernetes.io/os": "linux" },
          serviceAccountName: NAME,
          terminationGracePeriodSeconds: 300,
        },
      },
    },
  };
}

/** The multi-document manifest of the init node. */
export function renderIngressNginx(input: NodeRenderInput): string {
  const { model } = input;
  const ingress = model.ingress;
  if (!ingress) throw new Error("internal: ingress-nginx planned without spec.ingress");
  const docs = [
    { apiVersion: "v1", kind: "Namespace", metadata: { labels: base, name: INGRESS_NAMESPACE } },
    ...rbac(),
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(CONTROLLER), data: {} },
    service(ingress),
    deployment(model, ingress),
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { annotations: { "ingressclass.kubernetes.io/is-default-class": "true" }, labels, name: "nginx" },
      spec: { controller: "k8s.io/ingress-nginx" },
    },
  ];
  return GENERATED_HEADER + docs.map((d) => `---\n${toYaml(d)}`).join("");
}
