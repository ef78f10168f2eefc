/**
 * The external etcd topology of profiles/external-etcd.yaml (v1.34.10), for real: three etcd members
 * and the first control plane, each a node namespace (support/node-ns.ts: its own /etc/kubernetes and
 * /etc/hosts, its own network namespace) wired to one bridge with its private address, as on the node
 * network.
 * - On every member the real kubeadm runs what its bootstrap runs, `kubeadm init phase etcd local
 *   --config <its generated config>`, and the member starts from that static Pod's command line with
 *   Debian's etcd 3.4 (kubeadm writes the flags of its etcd 3.6 image: the two renamed flags are
 *   mapped back, as support/control-plane.ts does, and the data dir goes to scratch). The members form
 *   one cluster from the generated initial-cluster, with the generated server and peer certificates.
 * - On the control plane `kubeadm init phase certs all` skips every etcd certificate (external etcd
 *   mode) and uses the rest; kube-apiserver runs from `kubeadm init phase control-plane apiserver`
 *   with the generated etcd.external endpoints and client pair, and serves super-admin.conf through the
 *   endpoint name; a Secret it stores is in etcd, read back from another member.
 * Not run: kubeadm's preflight ExternalEtcdVersion check (it wants etcd ≥ 3.5.24; the members on a real
 * node run kubeadm's own etcd image, which passes it), and the members' standalone kubelet (no
 * container runtime here).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleProfile } from "../../helpers/generate.js";
import { Daemons, run, waitFor, type Ran } from "../support/proc.js";
import { describeWithKubeBins, KUBE_134 } from "./support/bins.js";
import { etcd34Args, FORWARDER, hostPort, resolveInHosts } from "./support/control-plane.js";
import { NodeNamespace } from "./support/node-ns.js";
import { fingerprint, flagMap, KUBEADM_CONFIG, manifestCommand, stageEtcKubernetes, writeOutput, type NodeFiles, type Output } from "./support/output.js";
import { said } from "./support/said.js";

const SWITCH = `ksetcdsw${process.pid % 100000}`;

interface Member {
  node: NodeFiles;
  ns: NodeNamespace;
  etc: string;
  address: string;
}

describeWithKubeBins(
  "external etcd members and a control plane on them (external-etcd, v1.34.10)",
  { kubeadm: [KUBE_134, "kubeadm"], apiserver: [KUBE_134, "kube-apiserver"] },
  (bins) => {
    const daemons = new Daemons();
    let o: Output;
    const members: Member[] = [];
    let cp: Member;
    let endpoint = { host: "", port: 0 };

    const ok = (r: Ran, what: string) => {
      expect(r.status, `${what}:\n${r.out}`).toBe(0);
      return r;
    };
    const sh = (cmd: string, args: string[]) => ok(run(cmd, args), `${cmd} ${args.join(" ")}`);

    /** a node namespace plugged into the switch with its private address on eth1 */
    async function plug(node: NodeFiles, extra: string[] = []): Promise<Member> {
      const scratch = o.scratch(node.name);
      const etc = stageEtcKubernetes(node, join(scratch, "etc-kubernetes"));
      const ns = await NodeNamespace.create(daemons, { name: node.name, scratch, etcKubernetes: etc, hosts: join(node.root, "etc/hosts"), addresses: extra });
      const address = /^(\S+)\s/.exec(readFileSync(join(node.root, "etc/hosts"), "utf8").split("\n").find((l) => new RegExp(`\\s${node.name}(\\s|$)`).test(l) && !l.startsWith("127."))!)![1];
      const port = `v${members.length}${node.name.slice(-1)}`;
      sh("ip", ["netns", "exec", SWITCH, "ip", "link", "add", port, "type", "veth", "peer", "name", "eth1", "netns", String(ns.pid)]);
      sh("ip", ["netns", "exec", SWITCH, "ip", "link", "set", port, "master", "br0", "up"]);
      ok(ns.run("sh", ["-euc", `ip addr add ${address}/24 dev eth1 && ip link set eth1 up`]), `${node.name} eth1`);
      return { node, ns, etc, address };
    }

    beforeAll(async () => {
      o = await writeOutput(exampleProfile("external-etcd"), "ks-kubeadm-etcd-");
      sh("ip", ["netns", "add", SWITCH]);
      sh("ip", ["netns", "exec", SWITCH, "sh", "-euc", "ip link add br0 type bridge && ip link set br0 up"]);
      for (const node of o.nodes.filter((n) => n.kind === "etcd-member")) members.push(await plug(node));
      const init = o.node("init");
      endpoint = hostPort(init.doc("ClusterConfiguration").controlPlaneEndpoint);
      cp = await plug(init, [resolveInHosts(join(init.root, "etc/hosts"), endpoint.host)]);
    }, 120_000);

    afterAll(async () => {
      await daemons.stopAll();
      run("ip", ["netns", "del", SWITCH]);
      o?.dispose();
    });

    it("the profile's three etcd nodes hold only etcd material, the control planes no etcd server, peer or CA key", () => {
      expect(members.map((m) => m.node.name)).toEqual(["kube-etcd-1", "kube-etcd-2", "kube-etcd-3"]);
      for (const m of members) {
        expect(Object.keys(fingerprint(join(m.node.root, "etc/kubernetes/pki"))).sort()).toEqual(
          ["etcd/ca.crt", "etcd/healthcheck-client.crt", "etcd/healthcheck-client.key", "etcd/peer.crt", "etcd/peer.key", "etcd/server.crt", "etcd/server.key"],
        );
      }
      const cpPki = Object.keys(fingerprint(join(cp.node.root, "etc/kubernetes/pki")));
      expect(cpPki).toContain("etcd/ca.crt");
      expect(cpPki.filter((f) => f.startsWith("etcd/"))).toEqual(["etcd/ca.crt"]);
    });

    it("kubeadm init phase etcd local writes each member's static Pod with the generated initial-cluster; the members form one cluster", async () => {
      const initial = members.map((m) => `${m.node.name}=https://${m.address}:2380`).join(",");
      for (const m of members) {
        const r = ok(m.ns.run(bins.kubeadm, ["init", "phase", "etcd", "local", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), `${m.node.name} etcd local`);
        expect(r.stdout).toMatch(/\[etcd\] Creating static Pod manifest for local etcd in "\/etc\/kubernetes\/manifests"/);
        const command = manifestCommand(join(m.etc, "manifests/etcd.yaml"));
        const flags = flagMap(command.slice(1));
        expect(flags.get("initial-cluster")).toBe(initial);
        expect(flags.get("name")).toBe(m.node.name);
        expect(flags.get("advertise-client-urls")).toBe(`https://${m.address}:2379`);
        expect(flags.get("cert-file")).toBe("/etc/kubernetes/pki/etcd/server.crt");
        expect(flags.get("peer-cert-file")).toBe("/etc/kubernetes/pki/etcd/peer.crt");
        const data = join(o.scratch(`${m.node.name}-data`), "etcd");
        mkdirSync(data, { mode: 0o700 });
        m.ns.start(`etcd-${m.node.name}`, "etcd", etcd34Args(command.slice(1), data));
      }
      const endpoints = members.map((m) => `https://${m.address}:2379`).join(",");
      let last: Ran | undefined;
      await waitFor(
        "three healthy etcd members",
        () => {
          const dead = daemons.exited();
          if (dead.length) throw new Error(dead.join("\n"));
          last = cp.ns.run("etcdctl", ["--endpoints", endpoints, "--cacert=/etc/kubernetes/pki/etcd/ca.crt", "--cert=/etc/kubernetes/pki/apiserver-etcd-client.crt", "--key=/etc/kubernetes/pki/apiserver-etcd-client.key", "endpoint", "health", "--cluster"], { env: { ...process.env, ETCDCTL_API: "3" }, timeoutMs: 20_000 });
          return last.status === 0 && (last.out.match(/is healthy/g) ?? []).length === 3 ? true : undefined;
        },
        90_000,
        () => `${last?.out}\n${members.map((m) => daemons.log(`etcd-${m.node.name}`).slice(-1500)).join("\n")}`,
      );
    }, 180_000);

    it("kubeadm init phase certs all on the control plane skips every etcd certificate and uses the rest", () => {
      const before = fingerprint(cp.etc);
      const r = ok(cp.ns.run(bins.kubeadm, ["init", "phase", "certs", "all", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), "certs all");
      const lines = said(r, "[certs]");
      for (const skipped of ["etcd/ca certificate authority", "etcd/server certificate", "etcd/peer certificate", "etcd/healthcheck-client certificate", "apiserver-etcd-client certificate"]) {
        expect(lines, r.out).toContain(`External etcd mode: Skipping ${skipped} generation`);
      }
      for (const leaf of ["apiserver", "apiserver-kubelet-client", "front-proxy-client"]) expect(lines).toContain(`Using existing ${leaf} certificate and key on disk`);
      expect(fingerprint(cp.etc)).toEqual(before);
    });

    it("kube-apiserver runs on the external members with the generated client pair and stores a Secret there", async () => {
      ok(cp.ns.run(bins.kubeadm, ["init", "phase", "control-plane", "apiserver", "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 }), "control-plane apiserver");
      const command = manifestCommand(join(cp.etc, "manifests/kube-apiserver.yaml"));
      const flags = flagMap(command.slice(1));
      expect(flags.get("etcd-servers")).toBe(members.map((m) => `https://${m.address}:2379`).join(","));
      expect(flags.get("etcd-certfile")).toBe("/etc/kubernetes/pki/apiserver-etcd-client.crt");
      cp.ns.start("kube-apiserver", bins.apiserver, command.slice(1));
      const vip = resolveInHosts(join(cp.node.root, "etc/hosts"), endpoint.host);
      const bind = cp.node.doc("InitConfiguration").localAPIEndpoint;
      if (endpoint.port !== bind.bindPort) cp.ns.start("endpoint-forwarder", process.execPath, [FORWARDER, vip, String(endpoint.port), bind.advertiseAddress, String(bind.bindPort)]);
      const kubectl = (...args: string[]) => cp.ns.run("kubectl", ["--kubeconfig", join(o.out, "kubeconfigs/super-admin.conf"), "--request-timeout=20s", ...args], { env: { PATH: process.env.PATH, HOME: o.scratch("home") }, timeoutMs: 40_000 });
      let last: Ran | undefined;
      await waitFor(
        "kube-apiserver ready through the endpoint",
        () => {
          const dead = daemons.exited();
          if (dead.length) throw new Error(dead.join("\n"));
          last = kubectl("get", "--raw", "/readyz");
          return last.status === 0 ? true : undefined;
        },
        120_000,
        () => `${last?.out}\n${daemons.log("kube-apiserver").slice(-3000)}`,
      );
      ok(kubectl("create", "secret", "generic", "on-external-etcd", "-n", "default", "--from-literal=k=v"), "create secret");
      const last3 = members[2];
      const r = ok(
        cp.ns.run("etcdctl", [`--endpoints=https://${last3.address}:2379`, "--cacert=/etc/kubernetes/pki/etcd/ca.crt", "--cert=/etc/kubernetes/pki/apiserver-etcd-client.crt", "--key=/etc/kubernetes/pki/apiserver-etcd-client.key", "get", "/registry/secrets/default/on-external-etcd", "--keys-only"], { env: { ...process.env, ETCDCTL_API: "3" }, timeoutMs: 20_000 }),
        "etcdctl get",
      );
      expect(r.stdout.trim()).toBe("/registry/secrets/default/on-external-etcd");
    }, 240_000);
  },
);
