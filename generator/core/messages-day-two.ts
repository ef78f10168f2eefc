/**
 * The day-two section of core/messages.ts (renewal on the nodes, certificate expiry, the CA rotation
 * plan, the change summary), kept in its own file so that file stays readable; messages.ts re-exports
 * each as messages.renewal, .expiry, .rotateCa and .changes. Same rules: pure, no I/O, user values
 * through excerpt().
 */
import { list, quote } from "./message-format.js";
import { STATE_DIR } from "./node-names.js";

/**
 * Texts of the control planes' certificate renewal, kubeseed-renew-certs (render/renewal/): journal lines
 * and the message= line of /var/lib/kubeseed/renewal. One line each; arguments are run-time values.
 */
export const renewal = {
  start: (node: string, days: string) => `checking the certificates and kubeconfigs of ${node}: renewing them when one expires within ${days} days`,
  missingProgram: (program: string) => `required program ${program} not found on PATH`,
  unknownArgument: (arg: string) => `unknown argument ${arg} (the only option is --force)`,
  locked: (lock: string) => `another kubeseed-renew-certs run holds ${lock}: nothing to do`,
  unreadable: (file: string) => `cannot read the certificate of ${file}: renewing it`,
  noFiles: "no kubeadm certificate or kubeconfig found under /etc/kubernetes: this node has not been bootstrapped yet",
  expiring: (file: string, date: string) => `${file} expires on ${date}, within the renewal window`,
  caExpiring: (file: string, date: string) =>
    `the CA certificate ${file} expires on ${date}: kubeseed never renews a CA on a node; rotate it with gen secrets rotate-ca`,
  nothingDue: (days: string, file: string, date: string) => `nothing expires within ${days} days; the next expiry: ${file} on ${date}`,
  forced: "renewing now (--force)",
  backup: (dir: string) => `copied /etc/kubernetes/pki and the kubeconfigs to ${dir}`,
  run: (command: string) => `running ${command}`,
  failed: (command: string, code: string, dir: string) => `${command} failed with exit code ${code}; the files from before the run are in ${dir}`,
  stillExpiring: (files: string) => `still expiring after kubeadm certs renew: ${files}`,
  restartPods: (node: string) => `restarting the static Pods of ${node} so that they load the renewed files`,
  restartPod: (pod: string) => `restarting the static Pod ${pod}`,
  noPod: (pod: string) => `no ${pod} Pod runs on this node: the kubelet starts it with the renewed files`,
  restartFailed: (pod: string) => `could not restart the static Pod ${pod} with crictl; see crictl pods and journalctl -u kubelet`,
  waitReady: (url: string) => `waiting for ${url}/readyz with the renewed admin.conf`,
  notReady: (seconds: string) => `the control plane did not answer /readyz with the renewed admin.conf within ${seconds}s; see crictl ps -a and journalctl -u kubelet`,
  adminKubeconfig: (path: string) => `installed the renewed admin.conf as ${path}`,
  kubeletExpiring: (date: string) => `the kubelet's client certificate expires on ${date}: restarting the kubelet so that it rotates it through the API`,
  renewed: (count: string, pods: string, file: string, date: string) =>
    `renewed ${count} certificates and kubeconfigs; restarted: ${pods}; the next expiry: ${file} on ${date}`,
};

/** Texts of certificate expiry: gen's warnings (pki/expiry.ts) and `gen certs check` (cli/commands/certs-check.ts). */
export const expiry = {
  ca: (id: string, date: string, expired: boolean) =>
    `the ${id} CA ${expired ? "expired" : "expires"} on ${date}${expired ? "" : ", within the renewal window"}: kubeseed never renews a CA and leaf certificates cannot outlive it; plan a CA rotation (gen secrets rotate-ca)`,
  leaf: (id: string, date: string, expired: boolean) =>
    `${id} ${expired ? "expired" : "expires"} on ${date}${expired ? "" : ", within the renewal window"}, and re-issuing cannot extend it past its CA's end: rotate the CA (gen secrets rotate-ca)`,
  header: ["certificate", "held by", "not after", "days left", "status"],
  status: { ok: "ok", due: "RENEW", expired: "EXPIRED" } as Record<string, string>,
  notInProfile: "(not in the profile: the next gen drops it)",
  none: (file: string, profile: string) => `${file} does not exist: run gen --profile ${profile} first`,
  allOk: (n: number, days: number) => `all ${n} certificates are valid for more than ${days} days\n`,
  due: (n: number, days: number) => `${n} certificate${n === 1 ? "" : "s"} expire${n === 1 ? "s" : ""} within ${days} days or expired\n`,
  leafHint: (profile: string) =>
    `leaf certificates: gen --profile ${profile} re-issues them into the output; control planes renew their own copies (kubeseed-renew-certs.timer, state in ${STATE_DIR}/renewal)\n`,
  caHint: "CAs: kubeseed never renews a CA; plan a rotation with gen secrets rotate-ca\n",
};

/**
 * `gen secrets rotate-ca`: kubeadm's documented manual CA rotation ("Manual Rotation of CA
 * Certificates", kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/) as a sequence of
 * renders the operator applies in order. Step texts, one paragraph each.
 */
export const rotateCa = {
  title: (cluster: string) => `CA rotation plan for cluster ${cluster} (kubeadm's manual rotation, as renders applied in order; a normal gen never rotates a CA)`,
  steps: [
    "1. trust both (render 1; gen secrets rotate-ca --step trust-both, then gen): a new CA is kept next to the secrets file (secrets/NAME.rotation.yaml); every trust file becomes a bundle, old CA first: /etc/kubernetes/pki/ca.crt, front-proxy-ca.crt and etcd/ca.crt on control planes (ca.key stays the old key, so the old CA still signs), the certificate-authority-data of every kubeconfig, the discovery CA hashes (both pinned); kube-controller-manager signs with a single-certificate copy (pki/ca-signer.crt: --cluster-signing-cert-file cannot be a bundle). Push to every control plane, regenerate the controller-manager manifest (kubeadm init phase control-plane controller-manager --config /etc/kubernetes/kubeadm/renew.yaml), restart the static Pods; on every worker put both CAs into /etc/kubernetes/pki/ca.crt and kubelet.conf's certificate-authority-data and restart the kubelet; wait until kube-controller-manager has written both CAs into every namespace's kube-root-ca.crt ConfigMap, then restart every Pod that talks to the API (kube-proxy, CoreDNS, the CNI, your controllers).",
    "2. sign with the new CA (render 2): the new CA becomes the signer (ca.key, ca-signer.crt) and comes first in the bundles; every leaf certificate and kubeconfig is re-issued by it (the specHash names the signer, so this follows by itself). Push every control plane's pki/ and kubeconfigs, restart the static Pods one control plane at a time (the API stays up behind the VIP); kubelets get certificates from the new CA at their next rotation (restart them to force it); hand out the new admin and user kubeconfigs.",
    "3. drop the old CA (render 3): the old CA leaves the secrets file and every bundle; ca-signer.crt goes. Push the CA files and kubeconfigs again, update the workers' ca.crt and kubelet.conf, restart the static Pods and kubelets, then restart the Pods that talk to the API once more.",
  ],
  implemented: "implemented: step 1 (trust both) for the cluster CA: gen secrets rotate-ca --profile NAME --step trust-both writes the new CA next to the secrets file, then gen --profile NAME renders it. Not yet: steps 2 and 3, and the etcd and front-proxy CAs (docs/day-two.md).",
  current: (file: string, step: string) => `in progress: ${file} is at step ${step}`,
  started: (file: string, profile: string) => `wrote ${file}: the new cluster CA (keep it with the secrets file); gen plan --profile ${profile} shows what step 1 changes, gen --profile ${profile} renders it\n`,
  already: (file: string, step: string) => `${file} already holds a rotation at step ${step}; a second one cannot start`,
  noSecrets: (file: string) => `${file} does not exist: there is no CA to rotate yet (run gen --profile NAME first)`,
  unknownStep: (step: string, known: readonly string[]) => `unknown --step ${quote(step)} (steps: ${list(known)})`,
  notMapping: "the file is not a YAML mapping",
  badField: (field: string, want: string) => `${field} must be ${want}`,
  badCa: "next must hold a CA certificate with the current CA's subject and its own private key",
  badFile: (file: string, problems: readonly string[]) => `${file} is not a kubeseed CA rotation: ${problems.join("; ")}`,
  next: "CA rotation step 1 (trust both): push every control plane's pki/ and kubeconfigs (REPORT.md lists them), regenerate its controller-manager manifest (kubeadm init phase control-plane controller-manager --config /etc/kubernetes/kubeadm/renew.yaml) and restart its static Pods; give every worker both CAs in /etc/kubernetes/pki/ca.crt and kubelet.conf, restart its kubelet; restart every Pod that talks to the API once kube-root-ca.crt holds both (docs/day-two.md)",
};

/**
 * Texts of the change summary (bundle/changes-text.ts): `gen plan`, the summary after `gen`, and REPORT.md's
 * "Changed since the previous output". Section titles, one line per item, the commands to run.
 */
const ETCDCTL = "etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key";
export const changes = {
  title: "Changed since the previous output",
  carried: "what the generation that wrote this output changed; a rerun that changes nothing keeps this section as it is",
  first: "first generation: there was no previous output to compare with",
  none: "nothing: the output would be byte for byte the same",
  sections: {
    added: "Nodes added",
    removed: "Nodes removed",
    push: "Push to running nodes",
    renewed: "Renewed by the nodes themselves",
    kubeadmIssued: "Issued by kubeadm on the nodes now (pki.controlPlaneCertificates: on-node): leave them in place, nothing to push or delete",
    apply: "Apply to the cluster",
    firstBoot: "First-boot files (nothing to do on a node that has joined)",
    operator: "Operator files",
    certificates: "Certificates",
    secrets: "CAs and secrets",
  },
  addedNode: (node: string, role: string, doc: string, join: string) =>
    `${node} (${role}): boot it with ${doc}${join === "credential" ? "; it joins with its own pre-issued credential (the bootstrap token may have expired)" : ""}`,
  joinsWithCredential: "(joins with its pre-issued credential)",
  removedNode: (node: string, role: string) => `${node} (${role}) left the profile (its certificates, if it had any, left the secrets file); remove it from the cluster:`,
  drain: (node: string) => `kubectl --kubeconfig kubeconfigs/admin.conf drain ${node} --ignore-daemonsets --delete-emptydir-data`,
  reset: (node: string) => `on ${node}, if it still runs: kubeadm reset -f`,
  etcdGone: (node: string, cp: string) =>
    `if ${node} is gone (kubeadm reset removes its etcd member itself): kubectl --kubeconfig kubeconfigs/admin.conf -n kube-system exec etcd-${cp} -- ${ETCDCTL} member list, then the same with member remove <the ID of ${node}>`,
  deleteNode: (node: string) => `kubectl --kubeconfig kubeconfigs/admin.conf delete node ${node}`,
  file: (path: string, change: string) => `${path} (${change})`,
  push: (node: string, files: string, then?: string) => `${node}: ${files}${then ? `; then: ${then}` : ""}`,
  renewed: (node: string, files: string) => `${node}: ${files} — re-issued for expiry only: push only where kubeseed-renew-certs.timer is off, or to re-provision`,
  firstBootFiles: (node: string, files: string) => `${node}: ${files}`,
  kubeadmIssued: (node: string, files: string) => `${node}: ${files}`,
  reprovision: (node: string, files: string) => `${node}: ${files} (only to provision it anew)`,
  apply: (node: string, path: string, then: string) => `${node}: ${path}; ${then}`,
  operatorFile: (path: string, change: string) => `${path} (${change})`,
  issued: (n: number, ids: string) => `issued ${n}: ${ids}`,
  andMore: (ids: string, more: number) => `${ids} and ${more} more`,
  reissued: (id: string, why: string) => `re-issued ${id}: ${why}`,
  dropped: (id: string) => `dropped ${id}`,
  reasons: {
    signer: "another CA signs it now",
    algorithm: "the key algorithm changed",
    subject: "its subject (CN/O) changed",
    usages: "its key usages changed",
    sans: (added: string, dropped: string) => `SANs changed${added ? `, added ${added}` : ""}${dropped ? `, dropped ${dropped}` : ""}`,
    expiry: (at: string) => `expires on ${at.slice(0, 10)}, within the renewal window`,
    rules: "its validity or kubeseed's certificate rules changed",
  } as const,
  secretsCreated: "created: new CAs, service-account key, bootstrap token and encryption key (a new secrets file)",
  secretsKept: "kept: a normal run never rotates a CA, the service-account key, the bootstrap token or the encryption key",
  caRotation: (step: string) => `the cluster CA is being rotated, step ${step}: every trust file and kubeconfig carries the current and the new CA, the current one still signs (gen secrets rotate-ca)`,
  then: {
    restartPods: (pattern: string) => `crictl pods --namespace kube-system --name '^(${pattern})-' --state ready -q | xargs -r crictl stopp (the kubelet makes them anew)`,
    reload: (service: string) => `systemctl reload ${service}`,
    restart: (units: string) => `systemctl restart ${units}`,
    kubeletWatches: "nothing more: the kubelet applies a changed static Pod manifest by itself",
    enableTimer: "systemctl daemon-reload && systemctl enable --now kubeseed-renew-certs.timer",
    restartFirewall: "systemctl daemon-reload && systemctl restart kubeseed-firewall",
    applyCni: "kubectl --kubeconfig kubeconfigs/admin.conf apply -f this file",
  },
};
