/**
 * keepalived on every control plane: /etc/keepalived/keepalived.conf holds the VIP with VRRP (seed 001:
 * one MASTER at 101, BACKUPs at 100, a check script with weight -2, fall 10, rise 2) and
 * /etc/keepalived/check_apiserver.sh checks that haproxy answers here and, while this node holds the
 * VIP, through the VIP.
 * Differences from seed 001, on purpose: VRRP goes unicast to the other control planes (clouds and
 * many switches drop multicast; the node firewall admits protocol 112 from the control planes only),
 * the VIP sits on the private interface with the network's prefix, the check verifies the apiserver
 * certificate with the cluster CA instead of --insecure, and the PASS string is derived from the
 * cluster (VRRP sends it in clear text: it separates clusters sharing a network, it is not a secret).
 * Guarantees: pure; the check script is POSIX sh and needs curl (Debian's keepalived runs it on the
 * host; the static-pod image must carry curl).
 */
import { createHash } from "node:crypto";
import { privateInterfaceName } from "../cloud-init/network-config.js";
import type { NodeRenderInput } from "../node-input.js";
import { balancerVip, controlPlanes, KEEPALIVED_CHECK, VRRP, vrrpRole } from "./common.js";
import { CLUSTER_CA } from "./haproxy.js";
import { GENERATED_HEADER, generatedLine } from "../../core/generated.js";

/** 8 characters (keepalived's PASS limit) from the cluster name and VIP. */
function vrrpPassword(name: string, vip: string): string {
  return createHash("sha256").update(`kubeseed-vrrp/${name}/${vip}`).digest("base64url").slice(0, 8);
}

export function renderKeepalivedConfig(input: NodeRenderInput): string {
  const { model, node } = input;
  const vip = balancerVip(model);
  const role = vrrpRole(node);
  const peers = controlPlanes(model).filter((cp) => cp.name !== node.name).map((cp) => `        ${cp.address}`);
  const nic = privateInterfaceName(input);
  return `${generatedLine("!")}! keepalived on ${node.name}: VRRP ${role.state} for the API VIP ${vip} (priority ${role.priority}).
global_defs {
    router_id ${node.name}
    enable_script_security
    script_user root
}

vrrp_script check_apiserver {
    script "${KEEPALIVED_CHECK}"
    interval ${VRRP.checkInterval}
    timeout 5
    weight ${VRRP.checkWeight}
    fall ${VRRP.fall}
    rise ${VRRP.rise}
}

vrrp_instance ${model.name.replace(/[^A-Za-z0-9_]/g, "_")}_api {
    state ${role.state}
    interface ${nic}
    virtual_router_id ${model.virtualRouterId}
    priority ${role.priority}
    advert_int 1
    unicast_src_ip ${node.address}
    unicast_peer {
${peers.join("\n")}
    }
    authentication {
        auth_type PASS
        auth_pass ${vrrpPassword(model.name, vip)}
    }
    virtual_ipaddress {
        ${vip}/${model.network.prefix} dev ${nic}
    }
    track_script {
        check_apiserver
    }
}
`;
}

export function renderKeepalivedCheck(input: NodeRenderInput): string {
  const { model, node } = input;
  const vip = balancerVip(model);
  const { host, port } = model.endpoint;
  return `#!/bin/sh
${GENERATED_HEADER}# keepalived's health check on ${node.name}: haproxy must answer on port ${port} here and, while this node
# holds the VIP ${vip}, through the VIP. A failure lowers this node's VRRP priority by ${-VRRP.checkWeight}.
# The apiserver certificate is verified with the cluster CA under the endpoint name ${host}.
port=${port}
vip=${vip}
fail() {
  echo "check_apiserver: $*" >&2
  exit 1
}
probe() {
  curl --silent --fail --max-time 2 --cacert ${CLUSTER_CA} --connect-to "${host}:$port:$1:$port" "https://${host}:$port/healthz" -o /dev/null
}
probe 127.0.0.1 || fail "haproxy on 127.0.0.1:$port does not reach a healthy kube-apiserver"
if ip -4 -o addr show | grep -q " $vip/"; then
  probe "$vip" || fail "the VIP $vip:$port does not reach a healthy kube-apiserver"
fi
`;
}
