/**
 * The bash functions of kubeseed-renew-certs, one per step, the same on every control plane: they read
 * only the per-node variables render/renewal/script.ts writes above them (NODE_NAME, WATCHED, CA_FILES,
 * STATIC_PODS, API_ADDRESS, API_PORT, RENEW_CONFIG, ADMIN_*) and the overrides of data.ts RENEW_ENV.
 * Every file path goes through "$ROOT"; kubeadm gets --rootfs "$ROOT" when ROOT is not /.
 * Guarantees: pure; the text passes `bash -n` and `shellcheck -s bash` (checked by the tests); every
 * failure path writes state=failed to the status file and exits 1; a CA is never touched.
 */
import { messages } from "../../core/messages.js";
import { shQuote, shText, shVar } from "../bootstrap/shell.js";
import { KUBELET_CLIENT_CERT, RENEW_BACKUP_DIR, RENEW_LOCK, RENEW_LOG, RENEW_STATUS_FILE } from "./data.js";

const m = messages.renewal;
const AT = shVar("when");

/** Paths of the state files and of /etc/kubernetes, under "$ROOT". */
export function renewPaths(): string {
  return `STATE_DIR="$ROOT"${shQuote(RENEW_STATUS_FILE.slice(0, RENEW_STATUS_FILE.lastIndexOf("/")))}
STATUS_FILE="$ROOT"${shQuote(RENEW_STATUS_FILE)}
RENEW_LOG="$ROOT"${shQuote(RENEW_LOG)}
BACKUP_DIR="$ROOT"${shQuote(RENEW_BACKUP_DIR)}
LOCK="$ROOT"${shQuote(RENEW_LOCK)}
KUBELET_CLIENT="$ROOT"${shQuote(KUBELET_CLIENT_CERT)}
K8S="$ROOT/etc/kubernetes"
STEP=start
RETRY=yes`;
}

/** Reading certificates: a PEM file or a kubeconfig's embedded client certificate, and its notAfter. */
export function expiryFunctions(): string {
  return `# pem_of KIND FILE: the certificate of FILE on stdout (KIND pem: the file; kubeconfig: client-certificate-data)
pem_of() {
  if [ "$1" = kubeconfig ]; then
    sed -n 's/^ *client-certificate-data: *//p' "$2" | head -n 1 | base64 -d
  else
    cat "$2"
  fi
}

# expiry KIND FILE: notAfter of the certificate in seconds since the epoch
expiry() {
  local end
  end=$(pem_of "$1" "$2" | openssl x509 -noout -enddate) || return 1
  date -u -d "\${end#notAfter=}" +%s
}

# day SECONDS: the date as YYYY-MM-DD (UTC)
day() { date -u -d "@$1" +%Y-%m-%d; }

# scan: fills EXPIRING (files due within the window), CHECKED (files present) and EARLIEST / EARLIEST_FILE
scan() {
  local now limit item kind name file end when
  EXPIRING=()
  CHECKED=0
  EARLIEST=""
  EARLIEST_FILE=""
  now=$(date -u +%s)
  limit=$((now + WINDOW))
  for item in "\${WATCHED[@]}"; do
    kind="\${item%%:*}"
    name="\${item#*:}"
    file="$K8S/$name"
    [ -e "$file" ] || continue
    CHECKED=$((CHECKED + 1))
    if ! end=$(expiry "$kind" "$file"); then
      log ${shText(m.unreadable(shVar("name")))}
      EXPIRING+=("$name")
      continue
    fi
    if [ "$end" -le "$limit" ]; then
      when=$(day "$end")
      log ${shText(m.expiring(shVar("name"), AT))}
      EXPIRING+=("$name")
    fi
    if [ -z "$EARLIEST" ] || [ "$end" -lt "$EARLIEST" ]; then
      EARLIEST="$end"
      EARLIEST_FILE="$name"
    fi
  done
}

# check_cas: reports every CA certificate that expires within the window (never renews one)
check_cas() {
  local name end when limit
  limit=$(($(date -u +%s) + WINDOW))
  for name in "\${CA_FILES[@]}"; do
    [ -e "$K8S/pki/$name" ] || continue
    end=$(expiry pem "$K8S/pki/$name") || continue
    if [ "$end" -le "$limit" ]; then
      when=$(day "$end")
      log ${shText(m.caExpiring(shVar("name"), AT))}
    fi
  done
}`;
}

/** The steps: programs, backup, kubeadm certs renew, static Pod restarts, admin kubeconfig, kubelet. */
export function renewSteps(): string {
  const command = shVar("shown");
  return `check_programs() {
  local program
  for program in "\${REQUIRED_PROGRAMS[@]}"; do
    command -v "$program" >/dev/null 2>&1 || fail ${shText(m.missingProgram(shVar("program")))}
  done
}

backup() {
  BACKUP="$BACKUP_DIR/$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$BACKUP"
  chmod 0700 "$STATE_DIR" "$BACKUP_DIR" "$BACKUP"
  cp -a "$K8S/pki" "$BACKUP/pki"
  local item name
  for item in "\${WATCHED[@]}"; do
    name="\${item#*:}"
    if [ "\${item%%:*}" = kubeconfig ] && [ -e "$K8S/$name" ]; then cp -a "$K8S/$name" "$BACKUP/$name"; fi
  done
  log ${shText(m.backup(shVar("BACKUP")))}
}

renew_all() {
  local -a command=(kubeadm certs renew all --config "$RENEW_CONFIG")
  local code=0 shown
  if [ -n "$ROOT" ]; then command+=(--rootfs "$ROOT"); fi
  shown="\${command[*]}"
  step renew ${shText(m.run(command))}
  prefixed "\${command[@]}" || code=$?
  if [ "$code" -ne 0 ]; then fail ${shText(m.failed(command, shVar("code"), shVar("BACKUP")))}; fi
}

restart_pods() {
  local pod ids id
  RESTARTED=()
  step restart ${shText(m.restartPods(shVar("NODE_NAME")))}
  for pod in "\${STATIC_PODS[@]}"; do
    ids=$(crictl pods --namespace kube-system --name "^$pod-$NODE_NAME\\$" --state ready --quiet) || fail ${shText(m.restartFailed(shVar("pod")))}
    if [ -z "$ids" ]; then
      log ${shText(m.noPod(shVar("pod")))}
      continue
    fi
    log ${shText(m.restartPod(shVar("pod")))}
    # stopping the sandbox is the restart: the kubelet makes the static Pod anew and collects the old
    # sandbox itself (removing it too races the kubelet: "container is in starting state")
    for id in $ids; do
      crictl stopp "$id" >/dev/null || fail ${shText(m.restartFailed(shVar("pod")))}
    done
    RESTARTED+=("$pod")
  done
}

api_ready() {
  kubectl --kubeconfig "$K8S/admin.conf" --server "https://$API_ADDRESS:$API_PORT" --request-timeout=5s get --raw=/readyz >/dev/null 2>&1
}

wait_ready() {
  log ${shText(m.waitReady(`https://${shVar("API_ADDRESS")}:${shVar("API_PORT")}`))}
  retry "$RESTART_TIMEOUT" kube-apiserver api_ready || fail ${shText(m.notReady(shVar("RESTART_TIMEOUT")))}
}

# the admin's copy of admin.conf (installed by kubeseed-bootstrap) follows the renewed one while it is a
# copy of an earlier admin.conf of this node (any backup: a run that failed after renewing left it behind)
refresh_admin_kubeconfig() {
  local copy="$ROOT$ADMIN_HOME/.kube/config" old
  [ -e "$copy" ] || return 0
  for old in "$BACKUP_DIR"/*/admin.conf; do
    if [ -e "$old" ] && cmp -s "$old" "$copy"; then
      install -m 0600 -o "$ADMIN_UID" -g "$ADMIN_GID" "$K8S/admin.conf" "$copy"
      log ${shText(m.adminKubeconfig(shVar("copy")))}
      return 0
    fi
  done
}

# the kubelet rotates its own client certificate; one still inside the window means rotation is stuck
check_kubelet() {
  local end when
  [ -e "$KUBELET_CLIENT" ] || return 0
  end=$(expiry pem "$KUBELET_CLIENT") || return 0
  if [ "$end" -le $(($(date -u +%s) + WINDOW)) ]; then
    when=$(day "$end")
    log ${shText(m.kubeletExpiring(AT))}
    systemctl restart kubelet.service
  fi
}

# log_line STATE MESSAGE: one line in the renewal log
log_line() {
  printf '%s %s %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "\${2//$'\\n'/ }" >>"$RENEW_LOG"
}

# record STATE MESSAGE: the status file and the renewal log
record() {
  status "$1" "$2"
  log_line "$1" "$2"
}`;
}
