/**
 * The bash functions of kubeseed-bootstrap, one per step, independent of the node: they read only the
 * per-node variables that render/bootstrap/script.ts writes above them (ROLE, NODE_NAME, ENDPOINT_*,
 * KUBEADM_CONFIG, ADMIN_*, FLANNEL_MANIFEST, IGNORE_PREFLIGHT_ERRORS, DISCOVERY_FILE, REQUIRED_PROGRAMS, ETCD_ENDPOINTS) and the
 * environment overrides of data.ts ENV. Every file path goes through "$ROOT".
 * Guarantees: pure; the text passes `bash -n` and `shellcheck -s bash` (checked by the tests); every
 * failure path writes state=failed to the status file and exits 1 (systemd retries, retry=yes) or, when
 * no retry can help (bad input, kubeadm stopped midway, an expired token), EXIT_PERMANENT (retry=no,
 * the unit's RestartPreventExitStatus); every marker reaches the disk (sync) before the next step; every
 * kubectl call has a request timeout; no function runs kubeadm reset.
 */
import { messages } from "../../core/messages.js";
import { ADMIN_CONF, ASSEMBLY_DIR, BACKOFF, DONE_MARKER, EXIT_PERMANENT, KUBEADM_DONE_MARKER, KUBEADM_LOG, KUBEADM_TRACES, KUBECTL_TIMEOUT, KUBELET_CONF, TOKEN_ERROR_PATTERNS } from "./data.js";
import { STATE_DIR, STATUS_FILE } from "../../core/node-names.js";
import { shArray, shQuote, shText, shVar } from "./shell.js";
import { assembleFunctions } from "./assemble-functions.js";

const m = messages.bootstrap;
const ENDPOINT = `${shVar("ENDPOINT_HOST")}:${shVar("ENDPOINT_PORT")}`;

/** Paths of the state files, under "$ROOT". */
export function pathVariables(): string {
  return `STATE_DIR="$ROOT"${shQuote(STATE_DIR)}
STATUS_FILE="$ROOT"${shQuote(STATUS_FILE)}
DONE_MARKER="$ROOT"${shQuote(DONE_MARKER)}
KUBEADM_DONE="$ROOT"${shQuote(KUBEADM_DONE_MARKER)}
KUBEADM_LOG="$ROOT"${shQuote(KUBEADM_LOG)}
ADMIN_CONF="$ROOT"${shQuote(ADMIN_CONF)}
ASSEMBLY_DIR="$ROOT"${shQuote(ASSEMBLY_DIR)}
KUBELET_CONF="$ROOT"${shQuote(KUBELET_CONF)}
${shArray("KUBEADM_TRACES", KUBEADM_TRACES)}
STEP=start
RETRY=yes`;
}

/**
 * Logging, the status file, failure and the error trap. `program` names the script in the trap's
 * message; `onFail`, a bash command, runs in fail() after the status is written (another script's log).
 */
export function statusFunctions(program?: string, onFail?: string): string {
  return `# one journal line, prefixed with the current step
log() { printf '[%s] %s\\n' "$STEP" "$*"; }

# status STATE MESSAGE: replaces the status file atomically (key=value lines)
status() {
  mkdir -p "$STATE_DIR"
  chmod 0700 "$STATE_DIR"
  {
    printf 'state=%s\\n' "$1"
    printf 'step=%s\\n' "$STEP"
    printf 'message=%s\\n' "\${2//$'\\n'/ }"
    printf 'time=%s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'node=%s\\n' "$NODE_NAME"
    printf 'role=%s\\n' "$ROLE"
    if [ "$1" = failed ]; then printf 'retry=%s\\n' "$RETRY"; fi
  } >"$STATUS_FILE.tmp"
  mv -f "$STATUS_FILE.tmp" "$STATUS_FILE"
}

# step NAME MESSAGE: starts a step
step() {
  STEP="$1"
  log "$2"
  status running "$2"
}

# fail MESSAGE: records the failure and exits 1 (systemd retries: Restart=on-failure)
fail() {
  trap - ERR
  log "$1" >&2
  status failed "$1"${onFail ? `
  ${onFail}` : ""}
  exit 1
}

# fail_for_good MESSAGE: a failure no retry can mend; exits ${EXIT_PERMANENT} (RestartPreventExitStatus=${EXIT_PERMANENT})
fail_for_good() {
  trap - ERR
  RETRY=no
  log "$1" >&2
  status failed "$1"
  exit ${EXIT_PERMANENT}
}

# mark FILE: creates a marker and makes sure it is on the disk before anything goes on
mark() {
  touch "$1"
  sync
}

on_error() {
  local line="$1" code="$2"
  fail ${shText(m.unexpected(shVar("line"), shVar("code"), program))}
}
trap 'on_error "$LINENO" "$?"' ERR

# seconds NAME VALUE: fails unless VALUE is a whole number
seconds() {
  local name="$1" value="$2"
  [[ "$value" =~ ^[0-9]+$ ]] || fail_for_good ${shText(m.badSeconds(shVar("name"), shVar("value")))}
}

# retry TIMEOUT WHAT COMMAND...: runs COMMAND until it succeeds, sleeping ${BACKOFF.initialSeconds} s, doubling up to
# ${BACKOFF.maxSeconds} s, never past TIMEOUT seconds in all; returns 1 when the time is up
retry() {
  local timeout="$1" what="$2" delay=${BACKOFF.initialSeconds} start=$SECONDS left
  shift 2
  until "$@"; do
    left=$((timeout - (SECONDS - start)))
    if [ "$left" -le 0 ]; then return 1; fi
    if [ "$delay" -gt "$left" ]; then delay=$left; fi
    log ${shText(m.retrying(shVar("what"), shVar("delay")))}
    sleep "$delay"
    delay=$((delay * 2))
    if [ "$delay" -gt ${BACKOFF.maxSeconds} ]; then delay=${BACKOFF.maxSeconds}; fi
  done
}

# prefixed COMMAND...: runs COMMAND with its output prefixed by the step, for the journal
prefixed() {
  "$@" 2>&1 | sed -u "s/^/[$STEP] /"
}`;
}

/** The steps: assembly, programs, endpoint, runtime, kubeadm, CNI, admin kubeconfig. */
/**
 * The steps. `etcd` (the cluster has external etcd members): the etcd role's kubeadm phase and kubelet
 * restart, and the init node's wait for the members; without it the text is exactly the plain cluster's,
 * so a plain cluster's user-data carries none of it (cloud size budgets).
 */
export function stepFunctions(etcd = false): string {
  const when = (text: string) => (etcd ? text : "");
  const tokenGrep = TOKEN_ERROR_PATTERNS.map((p) => `-e ${shQuote(p)}`).join(" ");
  return `${assembleFunctions()}check_programs() {
  local program
  for program in "\${REQUIRED_PROGRAMS[@]}"; do
    command -v "$program" >/dev/null 2>&1 || fail_for_good ${shText(m.missingProgram(shVar("program")))}
  done
}

# the API answers /readyz (curl), or at least accepts a TCP connection when curl is absent
probe_endpoint() {
  if command -v curl >/dev/null 2>&1; then
    curl --silent --insecure --fail --max-time 5 --output /dev/null "https://$ENDPOINT_HOST:$ENDPOINT_PORT/readyz"
  else
    timeout 5 bash -c "exec 3<>/dev/tcp/$ENDPOINT_HOST/$ENDPOINT_PORT" 2>/dev/null
  fi
}

wait_for_endpoint() {
  step endpoint ${shText(m.waitEndpoint(ENDPOINT))}
  retry "$WAIT_TIMEOUT" "$ENDPOINT_HOST:$ENDPOINT_PORT" probe_endpoint ||
    fail ${shText(m.endpointUnreachable(ENDPOINT, shVar("WAIT_TIMEOUT")))}
  log ${shText(m.endpointUp(ENDPOINT))}
}

runtime_answers() {
  crictl info >/dev/null 2>&1
}

restart_runtime() {
  step runtime ${shText(m.runtime)}
  prefixed systemctl restart containerd.service
  prefixed systemctl enable kubelet.service
  retry "$RUNTIME_TIMEOUT" containerd runtime_answers || fail ${shText(m.runtimeDown(shVar("RUNTIME_TIMEOUT")))}
}

# the traces of an earlier kubeadm run that exist on this node, space-separated (empty: none)
kubeadm_traces() {
  local trace found=""
  for trace in "\${KUBEADM_TRACES[@]}"; do
    if [ -e "$ROOT$trace" ]; then found+="\${found:+ }$trace"; fi
  done
  printf '%s' "$found"
}

# whether an earlier kubeadm run finished, read from the cluster (see data.ts KUBEADM_FINISHED)
kubeadm_finished() {
  case "$ROLE" in
    init) kubectl --kubeconfig "$ADMIN_CONF" --request-timeout=${KUBECTL_TIMEOUT} -n kube-system get daemonset kube-proxy >/dev/null 2>&1 ;;
${when(`    etcd) [ -e "$ROOT/etc/kubernetes/manifests/etcd.yaml" ] ;;\n`)}    control-plane)
      [ -n "$(kubectl --kubeconfig "$ADMIN_CONF" --request-timeout=${KUBECTL_TIMEOUT} get nodes -o name \\
        -l node-role.kubernetes.io/control-plane --field-selector "metadata.name=$NODE_NAME" 2>/dev/null)" ]
      ;;
    *)
      [ -s "$KUBELET_CONF" ] || return 1
      if command -v kubectl >/dev/null 2>&1; then
        kubectl --kubeconfig "$KUBELET_CONF" --request-timeout=${KUBECTL_TIMEOUT} get node "$NODE_NAME" >/dev/null 2>&1
      else
        [ -e "$ROOT/var/lib/kubelet/pki/kubelet-client-current.pem" ]
      fi
      ;;
  esac
}

run_kubeadm() {
  local -a command
  local code=0 shown traces
${
    etcd
      ? `  case "$ROLE" in
    init) command=(kubeadm init) ;;
    etcd) command=(kubeadm init phase etcd local) ;;
    *) command=(kubeadm join) ;;
  esac
`
      : `  if [ "$ROLE" = init ]; then command=(kubeadm init); else command=(kubeadm join); fi\n`
  }  command+=(--config "$ROOT$KUBEADM_CONFIG")
  if [ -n "$IGNORE_PREFLIGHT_ERRORS" ]; then command+=("--ignore-preflight-errors=$IGNORE_PREFLIGHT_ERRORS"); fi
  shown="\${command[*]}"
  step kubeadm ${shText(m.kubeadmRun(shVar("shown")))}
  "\${command[@]}" 2>&1 | tee "$KUBEADM_LOG" | sed -u "s/^/[$STEP] /" || code=$?
  if [ "$code" -ne 0 ]; then
    if [ "$ROLE" != init ] && grep -E -i -q ${tokenGrep} "$KUBEADM_LOG"; then
      fail_for_good ${shText(m.tokenExpired(shVar("KUBEADM_CONFIG")))}
    fi
    traces=$(kubeadm_traces)
    if [ -n "$traces" ]; then
      fail_for_good ${shText(m.kubeadmFailedMidway(shVar("shown"), shVar("code"), shVar("traces"), shVar("KUBEADM_LOG")))}
    fi
    fail ${shText(m.kubeadmFailed(shVar("shown"), shVar("code"), shVar("KUBEADM_LOG")))}
  fi
${when(`  # an etcd member's kubelet runs standalone (its drop-in): it starts the static Pod kubeadm just wrote
  if [ "$ROLE" = etcd ]; then prefixed systemctl restart kubelet.service; fi\n`)}  mark "$KUBEADM_DONE"
  if [ -n "$DISCOVERY_FILE" ]; then rm -f "$ROOT$DISCOVERY_FILE"; fi
}

# kubeadm once: skipped after it succeeded (marker, or the cluster shows it finished), refused after it stopped midway
kubeadm_once() {
  local traces
  if [ -e "$KUBEADM_DONE" ]; then
    log ${shText(m.kubeadmSkipped(shVar("KUBEADM_DONE")))}
    return 0
  fi
  traces=$(kubeadm_traces)
  if [ -n "$traces" ]; then
    if kubeadm_finished; then
      log ${shText(m.kubeadmFoundFinished(shVar("traces")))}
      mark "$KUBEADM_DONE"
      return 0
    fi
    fail_for_good ${shText(m.kubeadmLeftovers(shVar("traces"), shVar("KUBEADM_LOG")))}
  fi
  validate_config
${
    etcd
      ? `  if [ "$ROLE" = control-plane ] || [ "$ROLE" = worker ]; then wait_for_endpoint; fi
  if [ "\${#ETCD_ENDPOINTS[@]}" -gt 0 ]; then wait_for_etcd; fi
`
      : `  if [ "$ROLE" != init ]; then wait_for_endpoint; fi\n`
  }  restart_runtime
  run_kubeadm
}

# kubeadm's own check of the config, before anything waits or changes: a refused config is for good
validate_config() {
  step config ${shText(m.kubeadmValidate(shVar("KUBEADM_CONFIG")))}
  if ! prefixed kubeadm config validate --config "$ROOT$KUBEADM_CONFIG"; then
    fail_for_good ${shText(m.kubeadmConfigInvalid(shVar("KUBEADM_CONFIG")))}
  fi
}

apply_cni() {
  step cni ${shText(m.cni(shVar("FLANNEL_MANIFEST")))}
  retry "$WAIT_TIMEOUT" "kubectl apply" prefixed kubectl --kubeconfig "$ADMIN_CONF" --request-timeout=${KUBECTL_TIMEOUT} apply -f "$ROOT$FLANNEL_MANIFEST" ||
    fail ${shText(m.cniFailed(shVar("WAIT_TIMEOUT")))}
}

install_admin_kubeconfig() {
  step admin-kubeconfig ${shText(m.adminKubeconfig(`${shVar("ADMIN_HOME")}/.kube/config`, shVar("ADMIN_USER")))}
  [ -d "$ROOT$ADMIN_HOME" ] || fail ${shText(m.noAdminHome(shVar("ADMIN_HOME"), shVar("ADMIN_USER")))}
  install -d -m 0700 -o "$ADMIN_UID" -g "$ADMIN_GID" "$ROOT$ADMIN_HOME/.kube"
  install -m 0600 -o "$ADMIN_UID" -g "$ADMIN_GID" "$ADMIN_CONF" "$ROOT$ADMIN_HOME/.kube/config"
}`;
}
