/**
 * kube-apiserver audit logging (seed 001: `/etc/kubernetes/audit/policy.yaml`, kube-apiserver's audit
 * log), in three parts:
 * 1. the policy file on every control plane: the profile's own policyFile (checked by
 *    profile/audit-policy.ts), else DEFAULT_AUDIT_POLICY below;
 * 2. the apiserver flags in ClusterConfiguration.apiServer.extraArgs: audit-policy-file, audit-log-path
 *    and the rotation (audit-log-maxage / -maxbackup / -maxsize);
 * 3. the two hostPath mounts in apiServer.extraVolumes that make the policy readable and the log
 *    writable inside the kube-apiserver static Pod (kubeadm mounts only /etc/kubernetes/pki and a few
 *    system directories by itself, cmd/kubeadm/app/phases/controlplane/volumes.go).
 *
 * Decisions: the policy stays where seed 001 puts it; the log goes to /var/log/kubernetes/audit/ (the
 * path of Kubernetes' own auditing docs and kubeadm's "Auditing" example) rather than seed 001's
 * /etc/kubernetes/audit/audit.log: /etc is for configuration, and a growing log there would be copied by
 * every backup of /etc. The log directory is mounted DirectoryOrCreate (the kubelet creates it), the
 * policy directory read-only.
 *
 * The default policy follows seed 001's policy (health and version endpoints not logged, Metadata for
 * most requests with RequestReceived omitted, RequestResponse for pod changes and authorization
 * reviews) with three deliberate changes: requests by system:masters and the other system users are
 * logged (seed 001 drops them — but system:masters is exactly the break-glass identity whose use an
 * audit log must show); only the kubelets' and controllers' high-volume reads and lease renewals are
 * dropped; Secrets, ConfigMaps, tokens and token reviews are logged at Metadata only, so their data never
 * reaches the log; RBAC objects get RequestResponse (who granted what).
 * Guarantees: pure; the rules are evaluated in order by kube-apiserver (first match wins), so the
 * Metadata rule for secret-bearing resources comes before every RequestResponse rule.
 */
import type { ClusterModel } from "../../model/types.js";
import { AUDIT_POLICY } from "../../plan/host-files.js";
import { GENERATED_HEADER } from "../../core/generated.js";

export const AUDIT_DIR = "/etc/kubernetes/audit";
export const AUDIT_LOG_DIR = "/var/log/kubernetes/audit";
export const AUDIT_LOG = `${AUDIT_LOG_DIR}/audit.log`;

export const DEFAULT_AUDIT_POLICY = `${GENERATED_HEADER}# kube-apiserver audit policy (kubeseed's default). The first rule that matches a request decides its level.
apiVersion: audit.k8s.io/v1
kind: Policy
omitManagedFields: true
omitStages:
  - RequestReceived
rules:
  # health, version and metrics endpoints: not logged
  - level: None
    nonResourceURLs:
      - /healthz*
      - /livez*
      - /readyz*
      - /logs
      - /metrics
      - /swagger*
      - /openapi*
      - /version
  # lease renewals of the kubelets and controllers: several per second, no information
  - level: None
    verbs: [get, update]
    resources:
      - group: coordination.k8s.io
        resources: [leases]
  # the nodes' and the control plane's own reads: the bulk of all requests
  - level: None
    userGroups: [system:nodes]
    verbs: [get, list, watch]
  - level: None
    users: [system:kube-proxy, system:kube-scheduler, system:kube-controller-manager, system:apiserver]
    verbs: [get, list, watch]
  # objects that carry secrets and tokens: who and when, never the data (before any RequestResponse rule)
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps, serviceaccounts/token]
      - group: authentication.k8s.io
        resources: [tokenreviews]
      - group: certificates.k8s.io
        resources: [certificatesigningrequests]
  # changes of RBAC: who granted what, with the objects
  - level: RequestResponse
    verbs: [create, update, patch, delete, deletecollection]
    resources:
      - group: rbac.authorization.k8s.io
  # authorization delegation and pod changes
  - level: RequestResponse
    resources:
      - group: authorization.k8s.io
        resources: [subjectaccessreviews]
  - level: RequestResponse
    verbs: [create, update, patch, delete]
    resources:
      - group: ""
        resources: [pods]
  # everything else: who did what to which object, without bodies
  - level: Metadata
`;

/** The policy file's text for this cluster. */
export function renderAuditPolicy(model: ClusterModel): string {
  const a = model.audit;
  if (!a) throw new Error("internal: audit policy planned without spec.audit");
  return a.policy.source === "file" ? a.policy.text : DEFAULT_AUDIT_POLICY;
}

/** kube-apiserver's audit flags (merged into apiServer.extraArgs), or none without spec.audit. */
export function auditArgs(model: ClusterModel): Record<string, string> {
  const a = model.audit;
  if (!a) return {};
  return {
    "audit-policy-file": AUDIT_POLICY,
    "audit-log-path": AUDIT_LOG,
    "audit-log-maxage": String(a.maxAgeDays),
    "audit-log-maxbackup": String(a.maxBackups),
    "audit-log-maxsize": String(a.maxSizeMB),
  };
}

/** apiServer.extraVolumes (HostPathMount, the same fields in v1beta3 and v1beta4), or undefined without audit. */
export function auditVolumes(model: ClusterModel): Record<string, unknown>[] | undefined {
  if (!model.audit) return undefined;
  return [
    { name: "audit-policy", hostPath: AUDIT_DIR, mountPath: AUDIT_DIR, readOnly: true, pathType: "DirectoryOrCreate" },
    { name: "audit-log", hostPath: AUDIT_LOG_DIR, mountPath: AUDIT_LOG_DIR, readOnly: false, pathType: "DirectoryOrCreate" },
  ];
}
