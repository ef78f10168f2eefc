/**
 * renderBootstrapScript: /usr/local/sbin/kubeseed-bootstrap (0755, root:root), on every node, run by
 * kubeseed-bootstrap.service (render/bootstrap/unit.ts). The first control plane runs `kubeadm init`
 * with the pre-placed PKI and kubeadm config and applies the CNI manifest; the others wait for the API
 * endpoint and run `kubeadm join`; control planes install the admin kubeconfig for the admin user.
 *
 * "Done", precisely: the script exits 0 at once, writing nothing, when /var/lib/kubeseed/bootstrap.done
 * exists; it writes that marker (synced to disk) only after every step of its role succeeded.
 * /etc/kubernetes/kubelet.conf is NOT evidence of a joined node here, since kubeseed pre-places it on
 * control planes. The kubeadm step is skipped when /var/lib/kubeseed/kubeadm.done exists (written and
 * synced right after kubeadm exited 0). Without it, what kubeadm leaves on a node (data.ts
 * KUBEADM_TRACES) decides: no trace → run kubeadm; a trace → ask the cluster whether that run
 * finished (KUBEADM_FINISHED: then write the marker and go on) or stopped midway (then fail for good
 * with instructions: no retry can mend it, and the script never runs `kubeadm reset`).
 * Failures no retry can mend (a bad timeout value, a missing program, a config kubeadm refuses, an
 * expired token, kubeadm stopped midway) exit EXIT_PERMANENT, which the unit does not restart, and
 * say retry=no in the status file.
 *
 * Guarantees: pure; same input → same bytes; per-node values only in the block at the top, the body is
 * the same on every node; passes `bash -n` and `shellcheck -s bash`. Does not: install packages or write
 * the kubeadm config (other renderers), or check the bootstrap token before kubeadm reports it.
 */
import type { NodeRenderInput } from "../node-input.js";
import type { ClusterModel } from "../../model/types.js";
import { addonManifests, FLANNEL_MANIFEST, KUBEADM_CONFIG } from "../../plan/host-files.js";
import { DISCOVERY_KUBECONFIG } from "../../plan/kubeconfigs.js";
import { messages } from "../../core/messages.js";
import { bootstrapRole, DONE_MARKER, ENV, EXIT_PERMANENT, REQUIRED_PROGRAMS, type BootstrapOptions } from "./data.js";
import { BOOTSTRAP_PROGRAM, BOOTSTRAP_UNIT_NAME, STATUS_FILE } from "../../core/node-names.js";
import { pathVariables, statusFunctions, stepFunctions } from "./functions.js";
import { hostBalancer, optionFunctions } from "./functions-options.js";
import { balancerServices } from "../cloud-init/packages.js";

/** The host services of the VIP balancer, started again once the PEM pack is unpacked. */
const BALANCER_UNITS = ["haproxy.service", "keepalived.service"];
import { shArray, shAssignments, shCode, shText, shVar } from "./shell.js";
import { GENERATED_HEADER } from "../../core/generated.js";

const m = messages.bootstrap;

/** The per-node block: every value that differs between nodes, as literal bash assignments. */
function nodeValues(input: NodeRenderInput, options: BootstrapOptions): string {
  const { model, node } = input;
  const role = bootstrapRole(node);
  return shAssignments([
    ["ROLE", role],
    ["NODE_NAME", node.name],
    ["ENDPOINT_HOST", model.endpoint.host],
    ["ENDPOINT_PORT", String(model.endpoint.port)],
    ["KUBEADM_CONFIG", KUBEADM_CONFIG],
    ["ADMIN_USER", model.admin.name],
    ["ADMIN_UID", String(model.admin.uid)],
    ["ADMIN_GID", String(model.admin.gid)],
    ["ADMIN_HOME", `/home/${model.admin.name}`],
    ["FLANNEL_MANIFEST", FLANNEL_MANIFEST],
    ["IGNORE_PREFLIGHT_ERRORS", (options.ignorePreflightErrors ?? []).join(",")],
    // a late joiner's pre-issued credential, deleted once kubeadm join has used it
    ["DISCOVERY_FILE", (role === "worker" || role === "control-plane") && model.join.method === "credential" ? DISCOVERY_KUBECONFIG : ""],
  ]) +
    `\n${shArray("REQUIRED_PROGRAMS", REQUIRED_PROGRAMS[role])}` +
    (addonManifests(model).length ? `\n${shArray("ADDON_MANIFESTS", role === "init" ? addonManifests(model) : [])}` : "") +
    // kubeadm init needs the external etcd members up (preflight ExternalEtcdVersion asks them)
    (model.etcd.topology === "external" ? `\n${shArray("ETCD_ENDPOINTS", role === "init" ? model.etcd.endpoints : [])}` : "") +
    (hostBalancer(model) ? `\n${shArray("BALANCER_UNITS", balancerServices(model, node) ? BALANCER_UNITS : [])}` : "");
}

function environment(): string {
  return `ROOT="\${${ENV.root.name}:-${ENV.root.default}}"
ROOT="\${ROOT%/}"
WAIT_TIMEOUT="\${${ENV.waitTimeout.name}:-${ENV.waitTimeout.default}}"
RUNTIME_TIMEOUT="\${${ENV.runtimeTimeout.name}:-${ENV.runtimeTimeout.default}}"`;
}

function main(addons: boolean, etcd: boolean, balancer: boolean): string {
  return `main() {
  if [ -e "$DONE_MARKER" ]; then
    log ${shText(m.alreadyDone(DONE_MARKER))}
    exit 0
  fi
  seconds ${ENV.waitTimeout.name} "$WAIT_TIMEOUT"
  seconds ${ENV.runtimeTimeout.name} "$RUNTIME_TIMEOUT"
  assemble_files${balancer ? "\n  start_balancer" : ""}
  step preflight ${shText(m.start(shVar("NODE_NAME"), shVar("ROLE")))}
  check_programs
  kubeadm_once
  if [ "$ROLE" = init ]; then apply_cni; fi${addons ? `\n  if [ "$ROLE" = init ]; then apply_addons; fi` : ""}
  ${etcd ? `if [ "$ROLE" = init ] || [ "$ROLE" = control-plane ]; then install_admin_kubeconfig; fi` : `if [ "$ROLE" != worker ]; then install_admin_kubeconfig; fi`}
  STEP=complete
  mark "$DONE_MARKER"
  status "done" ${shText(m.done)}
  log ${shText(m.done)}
}

main "$@"`;
}

/** The part after the per-node block: the same text for every node of a model. */
function body(model: ClusterModel): string {
  const etcd = model.etcd.topology === "external";
  return `# --- overridable ---
${environment()}
${pathVariables()}

${shCode(`${statusFunctions()}

${stepFunctions(etcd)}
${optionFunctions(model)}
${main(addonManifests(model).length > 0, etcd, hostBalancer(model))}`)}
`;
}

/** body() per model: made once for a cluster's nodes, not once per node. */
const bodies = new WeakMap<ClusterModel, string>();

/** The whole script for one node; `options.ignorePreflightErrors` defaults to none. */
export function renderBootstrapScript(input: NodeRenderInput, options: BootstrapOptions = {}): string {
  const role = bootstrapRole(input.node);
  const addons = addonManifests(input.model).length > 0;
  let shared = bodies.get(input.model);
  if (shared === undefined) bodies.set(input.model, (shared = body(input.model)));
  const action = {
    init: `kubeadm init, then the CNI manifest${addons ? " and the add-ons" : ""}`,
    "control-plane": "wait for the API endpoint, then kubeadm join",
    worker: "wait for the API endpoint, then kubeadm join",
    etcd: "kubeadm init phase etcd local, then the standalone kubelet runs the etcd member",
  }[role];
  return `#!/bin/bash
${GENERATED_HEADER}# ${BOOTSTRAP_PROGRAM} for ${input.node.name} (${role}): ${action}.
# Run by ${BOOTSTRAP_UNIT_NAME}; its output goes to the journal (journalctl -u ${BOOTSTRAP_PROGRAM}),
# its state to ${STATUS_FILE}. Exits 0 at once once ${DONE_MARKER} exists; exits 1 on
# a failure a retry may mend (systemd retries), ${EXIT_PERMANENT} on one it cannot (retry=no in the status file).
# Never runs kubeadm reset.
# Environment: ${ENV.root.name} (default ${ENV.root.default}) prefixes every file path;
# ${ENV.waitTimeout.name} (default ${ENV.waitTimeout.default}) bounds each wait, in seconds;
# ${ENV.runtimeTimeout.name} (default ${ENV.runtimeTimeout.default}) bounds the wait for containerd, in seconds.
set -euo pipefail
set -o errtrace

# --- this node ---
${nodeValues(input, options)}

${shared}`;
}
