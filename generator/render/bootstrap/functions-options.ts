/**
 * The bash functions of kubeseed-bootstrap for the seed options, beside functions.ts (same contract):
 * the init node's wait for external etcd members (ETCD_ENDPOINTS, asked for /health with the apiserver's
 * etcd client pair, as kube-apiserver will), its add-on manifests (ADDON_MANIFESTS, applied after the
 * CNI, retried like it), and on control planes with the VIP balancer as host services, haproxy and
 * keepalived started again once the PEM pack delivered the cluster CA haproxy's checks need
 * (BALANCER_UNITS: the package's and cloud-init's starts came before it, failed, and systemd gave up). They read only the per-node block script.ts writes and the helpers of
 * functions.ts (step, retry, fail, prefixed, log).
 * Guarantees: pure; part of the same script, checked by the same `bash -n` and `shellcheck` tests.
 */
import { messages } from "../../core/messages.js";
import type { ClusterModel } from "../../model/types.js";
import { addonManifests } from "../../plan/host-files.js";
import { ETCD_CLIENT, KUBECTL_TIMEOUT } from "./data.js";
import { shQuote, shText, shVar } from "./shell.js";

const m = messages.options.bootstrap;

/**
 * The functions the cluster uses (external etcd: etcd_healthy, wait_for_etcd; add-ons: apply_addons),
 * so every node of one cluster still gets the same body; empty when it uses neither (user-data is small).
 */
export function optionFunctions(model: ClusterModel): string {
  const parts = [
    ...(model.etcd.topology === "external" ? [etcdFunctions()] : []),
    ...(addonManifests(model).length ? [addonFunction()] : []),
    ...(hostBalancer(model) ? [balancerFunction()] : []),
  ];
  return parts.length ? `\n${parts.join("\n\n")}\n` : "";
}

function etcdFunctions(): string {
  return `# an external etcd member answers /health with quorum, asked with the apiserver's etcd client pair
etcd_healthy() {
  local endpoint
  for endpoint in "\${ETCD_ENDPOINTS[@]}"; do
    if curl --silent --fail --max-time 5 --cacert "$ROOT"${shQuote(ETCD_CLIENT.ca)} --cert "$ROOT"${shQuote(ETCD_CLIENT.cert)} \\
      --key "$ROOT"${shQuote(ETCD_CLIENT.key)} "$endpoint/health" | grep -q '"health":"true"'; then
      return 0
    fi
  done
  return 1
}

wait_for_etcd() {
  local endpoints="\${ETCD_ENDPOINTS[*]}"
  step etcd ${shText(m.waitEtcd(shVar("endpoints")))}
  retry "$WAIT_TIMEOUT" etcd etcd_healthy || fail ${shText(m.etcdUnreachable(shVar("endpoints"), shVar("WAIT_TIMEOUT")))}
}`;
}

/** The cluster runs the VIP balancer as host services (haproxy and keepalived packages on the control planes). */
export const hostBalancer = (model: ClusterModel) => model.loadBalancer === "host-services";

function balancerFunction(): string {
  return `# (under KUBESEED_ROOT the files are another root's: its services are not this machine's to start)
start_balancer() {
  local unit
  [ -z "$ROOT" ] || return 0
  for unit in "\${BALANCER_UNITS[@]}"; do
    log ${shText(m.balancer(shVar("unit")))}
    systemctl reset-failed "$unit" 2>/dev/null || true
    prefixed systemctl restart "$unit" || fail ${shText(m.balancerFailed(shVar("unit")))}
  done
}`;
}

function addonFunction(): string {
  return `apply_addons() {
  local manifest
  for manifest in "\${ADDON_MANIFESTS[@]}"; do
    step addons ${shText(m.addon(shVar("manifest")))}
    retry "$WAIT_TIMEOUT" "kubectl apply" prefixed kubectl --kubeconfig "$ADMIN_CONF" --request-timeout=${KUBECTL_TIMEOUT} apply -f "$ROOT$manifest" ||
      fail ${shText(m.addonFailed(shVar("manifest"), shVar("WAIT_TIMEOUT")))}
  done
}`;
}
