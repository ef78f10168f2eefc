/**
 * renderRenewScript: kubeseed-renew-certs (0755, root:root) on every control plane, run daily by
 * kubeseed-renew-certs.timer (render/renewal/units.ts). It reads the notAfter of every kubeadm leaf
 * certificate and of the client certificate in every kubeconfig kubeadm renews (render/renewal/data.ts);
 * when one expires within the renewal window (the profile's pki.renewBefore, or --force), it copies
 * /etc/kubernetes/pki and the kubeconfigs to /var/lib/kubeseed/renewal-backup/TIME, runs
 * `kubeadm certs renew all --config /etc/kubernetes/kubeadm/renew.yaml` (every leaf and kubeconfig at
 * once, each keeping its subject and SANs, a new key, the profile's validity; the CAs untouched),
 * checks that nothing is still due, restarts the static Pods (crictl stopp: the kubelet makes them anew
 * on the renewed files), waits for /readyz through the renewed admin.conf, and refreshes the
 * admin's ~/.kube/config when it was a copy of the old admin.conf. Independently it restarts the
 * kubelet when the kubelet's rotated client certificate is inside the window (rotation is stuck).
 * A CA inside the window is reported, never renewed. What it did: /var/lib/kubeseed/renewal (the
 * bootstrap's key=value status format) and one line per renewal or failure in renewal.log.
 * Guarantees: pure; same input → same bytes; per-node values only in the block at the top; passes
 * `bash -n` and `shellcheck -s bash`. Does not: renew a CA, the sa key or the kubelet's certificate itself.
 */
import { messages } from "../../core/messages.js";
import type { NodeRenderInput } from "../node-input.js";
import { statusFunctions } from "../bootstrap/functions.js";
import { shArray, shAssignments, shCode, shText, shVar } from "../bootstrap/shell.js";
import { CA_FILES, RENEW_CONFIG, RENEW_ENV, RENEW_PROGRAMS, RENEW_SCRIPT_NAME, RENEW_STATUS_FILE, renewedCertFiles, renewedKubeconfigs, STATIC_PODS } from "./data.js";
import { expiryFunctions, renewPaths, renewSteps } from "./functions.js";
import { GENERATED_HEADER } from "../../core/generated.js";

const m = messages.renewal;

/** The files the script watches, as KIND:PATH relative to /etc/kubernetes. */
export function watchedFiles(input: NodeRenderInput): string[] {
  return [...renewedCertFiles(input.model, input.node).map((f) => `pem:pki/${f}`), ...renewedKubeconfigs(input.model, input.node).map((f) => `kubeconfig:${f}`)];
}

function nodeValues(input: NodeRenderInput): string {
  const { model, node } = input;
  return `${shAssignments([
    ["NODE_NAME", node.name],
    ["ROLE", "control-plane"],
    ["API_ADDRESS", node.address],
    ["API_PORT", String(model.bindPort)],
    ["RENEW_CONFIG", RENEW_CONFIG],
    ["DEFAULT_WINDOW", String(model.pki.renewBeforeHours * 3600)],
    ["ADMIN_UID", String(model.admin.uid)],
    ["ADMIN_GID", String(model.admin.gid)],
    ["ADMIN_HOME", `/home/${model.admin.name}`],
  ])}
${shArray("WATCHED", watchedFiles(input))}
${shArray("CA_FILES", CA_FILES)}
${shArray("STATIC_PODS", STATIC_PODS)}
${shArray("REQUIRED_PROGRAMS", [...RENEW_PROGRAMS, "cmp"])}`;
}

function environment(): string {
  const e = RENEW_ENV;
  return `ROOT="\${${e.root.name}:-${e.root.default}}"
ROOT="\${ROOT%/}"
WINDOW="\${${e.window.name}:-$DEFAULT_WINDOW}"
RESTART_TIMEOUT="\${${e.restartTimeout.name}:-${e.restartTimeout.default}}"`;
}

function main(): string {
  const days = shVar("days");
  return `main() {
  local arg force=0 days when
  for arg in "$@"; do
    case "$arg" in
      --force) force=1 ;;
      *) fail ${shText(m.unknownArgument(shVar("arg")))} ;;
    esac
  done
  seconds ${RENEW_ENV.window.name} "$WINDOW"
  seconds ${RENEW_ENV.restartTimeout.name} "$RESTART_TIMEOUT"
  days=$((WINDOW / 86400))
  mkdir -p "$STATE_DIR"
  chmod 0700 "$STATE_DIR"
  exec 9>"$LOCK"
  if ! flock -n 9; then
    log ${shText(m.locked(shVar("LOCK")))}
    exit 0
  fi
  step check ${shText(m.start(shVar("NODE_NAME"), days))}
  check_programs
  check_cas
  check_kubelet
  scan
  if [ "$CHECKED" -eq 0 ]; then fail ${shText(m.noFiles)}; fi
  if [ "\${#EXPIRING[@]}" -eq 0 ] && [ "$force" -eq 0 ]; then
    when=$(day "$EARLIEST")
    status ok ${shText(m.nothingDue(days, shVar("EARLIEST_FILE"), shVar("when")))}
    log ${shText(m.nothingDue(days, shVar("EARLIEST_FILE"), shVar("when")))}
    exit 0
  fi
  if [ "$force" -eq 1 ]; then log ${shText(m.forced)}; fi
  backup
  renew_all
  scan
  if [ "\${#EXPIRING[@]}" -ne 0 ]; then
    local due="\${EXPIRING[*]}"
    fail ${shText(m.stillExpiring(shVar("due")))}
  fi
  restart_pods
  wait_ready
  refresh_admin_kubeconfig
  STEP=complete
  local count="$CHECKED" pods="\${RESTARTED[*]:-none}"
  when=$(day "$EARLIEST")
  record renewed ${shText(m.renewed(shVar("count"), shVar("pods"), shVar("EARLIEST_FILE"), shVar("when")))}
  log ${shText(m.renewed(shVar("count"), shVar("pods"), shVar("EARLIEST_FILE"), shVar("when")))}
}

main "$@"`;
}

/** The whole script for one control plane. */
export function renderRenewScript(input: NodeRenderInput): string {
  const e = RENEW_ENV;
  return `#!/bin/bash
${GENERATED_HEADER}# ${RENEW_SCRIPT_NAME} for ${input.node.name}: renews kubeadm's certificates and kubeconfigs when one
# expires within the renewal window, then restarts the static Pods. Run daily by ${RENEW_SCRIPT_NAME}.timer;
# by hand: ${RENEW_SCRIPT_NAME} [--force] (--force renews now, whatever the expiry).
# State: ${RENEW_STATUS_FILE} (journal: journalctl -u ${RENEW_SCRIPT_NAME}). Never touches a CA.
# Environment: ${e.root.name} (default ${e.root.default}) prefixes every file path;
# ${e.window.name} (default ${input.model.pki.renewBeforeHours * 3600}) is the window in seconds;
# ${e.restartTimeout.name} (default ${e.restartTimeout.default}) bounds the wait for /readyz, in seconds.
set -euo pipefail
set -o errtrace

# --- this node ---
${nodeValues(input)}

# --- overridable ---
${environment()}
${renewPaths()}

${shCode(`${statusFunctions(RENEW_SCRIPT_NAME, 'log_line failed "$1"')}

${expiryFunctions()}

${renewSteps()}

${main()}`)}
`;
}
