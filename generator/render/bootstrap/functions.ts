/**
 * The bash functions of kubeseed-bootstrap, one per step, independent of the node: they read only the
 * per-node variables that render/bootstrap/script.ts writes above them (ROLE, NODE_NAME, ENDPOINT_*,
 * KUBEADM_CONFIG, ADMIN_*, FLANNEL_MANIFEST, IGNORE_PREFLIGHT_ERRORS, DISCOVERY_FILE, REQUIRED_PROGRAMS) and the
 * environment overrides of data.ts ENV. Every file path goes through "$ROOT".
 * Guarantees: pure; the text passes `bash -n` and `shellcheck -s bash` (checked by the tests); every
 * failure path writes state=failed to the status file and exits 1; no function runs kubeadm reset.
 */
import { messages } from "../../core/messages.js";
import { ADMIN_CONF, BACKOFF, DONE_MARKER, KUBEADM_DONE_MARKER, KUBEADM_LOG, KUBEADM_TRACE, STATE_DIR, STATUS_FILE, TOKEN_ERROR_PATTERNS } from "./data.js";
import { shQuote, shText, shVar } from "./shell.js";

const m = messages.bootstrap;
const ENDPOINT = `${shVar("ENDPOINT_HOST")}:${shVar("ENDPOINT_PORT")}`;

/** Paths of the state files, under "$ROOT". */
export function pathVariables(): string {
  return `STATE_DIR="$ROOT"${shQuote(STATE_DIR)}
STATUS_FILE="$ROOT"${shQuote(STATUS_FILE)}
DONE_MARKER="$ROOT"${shQuote(DONE_MARKER)}
KUBEADM_DONE="$ROOT"${shQuote(KUBEADM_DONE_MARKER)}
KUBEADM_LOG="$ROOT"${shQuote(KUBEADM_LOG)}
KUBEADM_TRACE="$ROOT"${shQuote(KUBEADM_TRACE)}
ADMIN_CONF="$ROOT"${shQuote(ADMIN_CONF)}
STEP=start`;
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

on_error() {
  local line="$1" code="$2"
  fail ${shText(m.unexpected(shVar("line"), shVar("code"), program))}
}
trap 'on_error "$LINENO" "$?"' ERR

# seconds NAME VALUE: fails unless VALUE is a whole number
seconds() {
  local name="$1" value="$2"
  [[ "$value" =~ ^[0-9]+$ ]] || fail ${shText(m.badSeconds(shVar("name"), shVar("value")))}
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

/** The steps: programs, endpoint, runtime, kubeadm, CNI, admin kubeconfig. */
export function stepFunctions(): string {
  const tokenGrep = TOKEN_ERROR_PATTERNS.map((p) => `-e ${shQuote(p)}`).join(" ");
  return `check_programs() {
  local program
  for program in "\${REQUIRED_PROGRAMS[@]}"; do
    command -v "$program" >/dev/null 2>&1 || fail ${shText(m.missingProgram(shVar("program")))}
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

run_kubeadm() {
  local -a command
  local code=0 shown
  if [ "$ROLE" = init ]; then command=(kubeadm init); else command=(kubeadm join); fi
  command+=(--config "$ROOT$KUBEADM_CONFIG")
  if [ -n "$IGNORE_PREFLIGHT_ERRORS" ]; then command+=("--ignore-preflight-errors=$IGNORE_PREFLIGHT_ERRORS"); fi
  shown="\${command[*]}"
  step kubeadm ${shText(m.kubeadmRun(shVar("shown")))}
  "\${command[@]}" 2>&1 | tee "$KUBEADM_LOG" | sed -u "s/^/[$STEP] /" || code=$?
  if [ "$code" -ne 0 ]; then
    if [ "$ROLE" != init ] && grep -E -i -q ${tokenGrep} "$KUBEADM_LOG"; then
      fail ${shText(m.tokenExpired(shVar("KUBEADM_CONFIG")))}
    fi
    fail ${shText(m.kubeadmFailed(shVar("shown"), shVar("code"), shVar("KUBEADM_LOG")))}
  fi
  touch "$KUBEADM_DONE"
  if [ -n "$DISCOVERY_FILE" ]; then rm -f "$ROOT$DISCOVERY_FILE"; fi
}

apply_cni() {
  step cni ${shText(m.cni(shVar("FLANNEL_MANIFEST")))}
  retry "$WAIT_TIMEOUT" "kubectl apply" prefixed kubectl --kubeconfig "$ADMIN_CONF" apply -f "$ROOT$FLANNEL_MANIFEST" ||
    fail ${shText(m.cniFailed(shVar("WAIT_TIMEOUT")))}
}

install_admin_kubeconfig() {
  step admin-kubeconfig ${shText(m.adminKubeconfig(`${shVar("ADMIN_HOME")}/.kube/config`, shVar("ADMIN_USER")))}
  [ -d "$ROOT$ADMIN_HOME" ] || fail ${shText(m.noAdminHome(shVar("ADMIN_HOME"), shVar("ADMIN_USER")))}
  install -d -m 0700 -o "$ADMIN_UID" -g "$ADMIN_GID" "$ROOT$ADMIN_HOME/.kube"
  install -m 0600 -o "$ADMIN_UID" -g "$ADMIN_GID" "$ADMIN_CONF" "$ROOT$ADMIN_HOME/.kube/config"
}`;
}
