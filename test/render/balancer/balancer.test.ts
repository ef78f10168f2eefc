/**
 * The VIP balancer's files (keepalived + haproxy on every control plane) for the prod profile (host
 * services, the default) and an HA topology with static pods: which nodes get which file, the VRRP
 * roles, and the real Debian programs that read them: `haproxy -c`, `keepalived -t` (in a network
 * and mount namespace that has the private interface and the check script at its on-node path),
 * `sh -n` and shellcheck on the check script.
 */
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BALANCER_IMAGES } from "../../../generator/model/images.js";
import { exampleProfile, generate, writeToTemp } from "../../helpers/generate.js";
import { topology } from "../../helpers/profiles.js";
import { run, tempFiles } from "../host/topologies.js";

const HAPROXY = "etc/haproxy/haproxy.cfg";
const KEEPALIVED = "etc/keepalived/keepalived.conf";
const CHECK = "etc/keepalived/check_apiserver.sh";
const PODS = ["etc/kubernetes/manifests/haproxy.yaml", "etc/kubernetes/manifests/keepalived.yaml"];

let prod: string;
let pods: string;
const files = (out: string, node: string) => join(out, "nodes", node, "files");
const read = (out: string, node: string, path: string) => readFileSync(join(files(out, node), path), "utf8");

beforeAll(async () => {
  prod = await writeToTemp(await generate(exampleProfile("prod")));
  pods = await writeToTemp(await generate(topology(3, 1, { controlPlane: { endpoint: { host: "api.test.internal", vip: "192.168.1.5" }, loadBalancer: "static-pods" } })));
});

/** haproxy -c on a node's config, with the CA path pointed at that node's tree. */
function haproxyCheck(out: string, node: string) {
  const tree = files(out, node);
  const cfg = read(out, node, HAPROXY).replaceAll("/etc/kubernetes/pki/ca.crt", join(tree, "etc/kubernetes/pki/ca.crt"));
  return run("haproxy", ["-c", "-f", join(tempFiles({ "haproxy.cfg": cfg }), "haproxy.cfg")], "haproxy");
}

/** keepalived -t with the node's /etc/keepalived mounted in place and its private NIC present. */
function keepalivedCheck(out: string, node: string, nic: string) {
  const script = `ip link add ${nic} type veth peer name peer0 && mount --bind ${join(files(out, node), "etc/keepalived")} /etc/keepalived && keepalived -t -f /etc/keepalived/keepalived.conf`;
  return run("unshare", ["--net", "--mount", "sh", "-c", script], "util-linux keepalived");
}

describe("VIP balancer files", () => {
  it("puts haproxy and keepalived on every control plane and nothing on workers (prod: host services)", () => {
    for (const n of ["kube-cp-1", "kube-cp-2", "kube-cp-3"]) {
      for (const p of [HAPROXY, KEEPALIVED, CHECK]) expect(existsSync(join(files(prod, n), p)), `${n} ${p}`).toBe(true);
      for (const p of PODS) expect(existsSync(join(files(prod, n), p)), `${n} ${p}`).toBe(false);
    }
    for (const p of [HAPROXY, KEEPALIVED, CHECK, ...PODS]) expect(existsSync(join(files(prod, "kube-worker-1"), p))).toBe(false);
    const userData = readFileSync(join(prod, "nodes/kube-cp-2/cloud-init/user-data"), "utf8");
    expect(userData).toMatch(/packages:\n(?:\s+- \S+\n)*\s+- haproxy\n\s+- keepalived\n/);
    // enabled only: haproxy's checks need the cluster CA, which the bootstrap unpacks and then starts both
    expect(userData).toContain("- - systemctl\n    - enable\n    - haproxy.service\n    - keepalived.service\n");
    expect(userData).not.toMatch(/- restart\n\s+- haproxy/);
    expect(read(prod, "kube-cp-2", "usr/local/sbin/kubeseed-bootstrap")).toContain("BALANCER_UNITS=('haproxy.service' 'keepalived.service')");
    expect(readFileSync(join(prod, "nodes/kube-worker-1/cloud-init/user-data"), "utf8")).not.toContain("haproxy");
  });

  it("fronts every control plane's apiserver on the endpoint port, checked over TLS with the cluster CA", () => {
    const cfg = read(prod, "kube-cp-3", HAPROXY);
    expect(cfg).toContain("bind *:8443\n");
    expect(cfg.match(/^ {4}server .*$/gm)).toEqual([
      "    server kube-cp-1 192.168.1.11:6443",
      "    server kube-cp-2 192.168.1.12:6443",
      "    server kube-cp-3 192.168.1.13:6443",
    ]);
    expect(cfg).toContain("option httpchk GET /healthz");
    expect(cfg).toMatch(/default-server check check-ssl verify required ca-file \/etc\/kubernetes\/pki\/ca.crt /);
    const kubeadm = read(prod, "kube-cp-1", "etc/kubernetes/kubeadm/config.yaml");
    expect(kubeadm).toContain("controlPlaneEndpoint: k8s-api.prod.internal:8443");
    expect(kubeadm).toMatch(/bindPort: 6443/);
  });

  it("makes the init node the VRRP MASTER (101) and the others BACKUPs (100), unicast to each other", () => {
    const role = (n: string) => {
      const c = read(prod, n, KEEPALIVED);
      return [/state (\w+)/.exec(c)![1], /priority (\d+)/.exec(c)![1], /unicast_src_ip (\S+)/.exec(c)![1], /unicast_peer \{\n([^}]*)\}/.exec(c)![1].trim().split(/\s+/).join(",")];
    };
    expect(role("kube-cp-1")).toEqual(["MASTER", "101", "192.168.1.11", "192.168.1.12,192.168.1.13"]);
    expect(role("kube-cp-2")).toEqual(["BACKUP", "100", "192.168.1.12", "192.168.1.11,192.168.1.13"]);
    expect(role("kube-cp-3")).toEqual(["BACKUP", "100", "192.168.1.13", "192.168.1.11,192.168.1.12"]);
    const c = read(prod, "kube-cp-1", KEEPALIVED);
    expect(c).toContain("192.168.1.10/24 dev eth1.100");
    expect(c).toMatch(/weight -2\n\s+fall 10\n\s+rise 2/);
    expect(/auth_pass (\S+)/.exec(c)![1]).toHaveLength(8);
  });

  it("the real haproxy accepts every control plane's config, and refuses one whose CA file is missing", () => {
    for (const n of ["kube-cp-1", "kube-cp-2", "kube-cp-3"]) {
      const r = haproxyCheck(prod, n);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toContain("Configuration file is valid");
    }
    const broken = read(prod, "kube-cp-1", HAPROXY);
    const r = run("haproxy", ["-c", "-f", join(tempFiles({ "h.cfg": broken.replace("/etc/kubernetes/pki/ca.crt", "/nonexistent/ca.crt") }), "h.cfg")], "haproxy");
    expect(r.status).not.toBe(0);
  });

  it("the real keepalived accepts every control plane's config with no warning, and refuses an unsafe check script", () => {
    for (const n of ["kube-cp-1", "kube-cp-2", "kube-cp-3"]) {
      const r = keepalivedCheck(prod, n, "eth1.100");
      expect(r.status, r.out).toBe(0);
      expect(r.out.trim()).toBe("");
    }
    const missingNic = keepalivedCheck(prod, "kube-cp-1", "eth7");
    expect(missingNic.status).not.toBe(0);
    const script = join(files(prod, "kube-cp-2"), CHECK);
    chmodSync(script, 0o777);
    try {
      const unsafe = keepalivedCheck(prod, "kube-cp-2", "eth1.100");
      expect(unsafe.status).not.toBe(0);
      expect(unsafe.out).toContain("insecure");
    } finally {
      chmodSync(script, 0o755);
    }
  });

  it("the check script passes sh -n and shellcheck", () => {
    const script = join(files(prod, "kube-cp-1"), CHECK);
    expect(run("sh", ["-n", script], "dash").status).toBe(0);
    const r = run("shellcheck", ["--shell=sh", script], "shellcheck");
    expect(r.status, r.out).toBe(0);
  });

  it("static-pods mode adds the two kubelet-run pods on control planes, reading the same files", () => {
    for (const n of ["cp-1", "cp-2", "cp-3"]) for (const p of [HAPROXY, KEEPALIVED, CHECK, ...PODS]) expect(existsSync(join(files(pods, n), p)), `${n} ${p}`).toBe(true);
    for (const p of PODS) expect(existsSync(join(files(pods, "worker-1"), p))).toBe(false);
    expect(readFileSync(join(pods, "nodes/cp-1/cloud-init/user-data"), "utf8")).not.toMatch(/- (haproxy|keepalived)\n/);
    const haproxy = parse(read(pods, "cp-1", PODS[0]));
    expect(haproxy).toMatchObject({ apiVersion: "v1", kind: "Pod", metadata: { name: "haproxy", namespace: "kube-system" }, spec: { hostNetwork: true } });
    expect(haproxy.spec.containers[0].image).toBe(`${BALANCER_IMAGES.haproxy.registry}/${BALANCER_IMAGES.haproxy.path}:${BALANCER_IMAGES.haproxy.tag}`);
    expect(haproxy.spec.volumes.map((v: { hostPath: { path: string } }) => v.hostPath.path)).toEqual(["/etc/haproxy/haproxy.cfg", "/etc/kubernetes/pki/ca.crt"]);
    const keepalived = parse(read(pods, "cp-2", PODS[1]));
    expect(keepalived.spec.containers[0].securityContext.capabilities.add).toEqual(["NET_ADMIN", "NET_BROADCAST", "NET_RAW"]);
    expect(keepalived.spec.volumes.map((v: { hostPath: { path: string } }) => v.hostPath.path)).toEqual([
      "/etc/keepalived/keepalived.conf",
      "/etc/keepalived/check_apiserver.sh",
      "/etc/kubernetes/pki/ca.crt",
    ]);
    // every file a pod mounts is in the node's tree
    for (const v of [...haproxy.spec.volumes, ...keepalived.spec.volumes]) expect(existsSync(join(files(pods, "cp-2"), v.hostPath.path))).toBe(true);
    const r = keepalivedCheck(pods, "cp-1", "eth1");
    expect(r.status, r.out).toBe(0);
  });
});
