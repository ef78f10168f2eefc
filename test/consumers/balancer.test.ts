/**
 * The VIP balancer for real: the prod profile's three control planes as three network namespaces on one
 * switch (a bridge in a fourth namespace), each with its private interface eth1.100 and address, running
 * the real Debian haproxy and keepalived with the generated configs and check script. The apiserver
 * behind haproxy is a Node TLS server on the node's address:6443 with the node's generated apiserver
 * certificate, answering /healthz (the real kube-apiserver runs in the kubeadm suite).
 * Shown: keepalived puts the VIP on the init node (MASTER 101) only; a client on another node reaches
 * /healthz through VIP:8443 with the cluster CA and the endpoint name; when the MASTER's keepalived
 * stops, a BACKUP takes the VIP and the endpoint still answers.
 * Paths: the generated files are used as written, except that the CA path in the copies of haproxy.cfg
 * and the check script points at the node's tree (the host has no /etc/kubernetes); keepalived sees the
 * node's /etc/keepalived through a bind mount in its own mount namespace (with a private /run).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProfile, generate, preIssued, writeToTemp } from "../helpers/generate.js";
import { Daemons, run, waitFor } from "./support/proc.js";

const NODES = [
  { name: "kube-cp-1", address: "192.168.1.11" },
  { name: "kube-cp-2", address: "192.168.1.12" },
  { name: "kube-cp-3", address: "192.168.1.13" },
];
const VIP = "192.168.1.10";
const NIC = "eth1.100";
const ENDPOINT = "k8s-api.prod.internal";
const PORT = 8443;
const tag = `ks${process.pid % 100000}`;
const ns = (i: number) => `${tag}-n${i}`;
const SWITCH = `${tag}-sw`;

const APISERVER = `import { createServer } from "node:https";
import { readFileSync } from "node:fs";
const [key, cert, host, port, name] = process.argv.slice(2);
createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
  const ok = req.url === "/healthz";
  res.writeHead(ok ? 200 : 404, { "content-type": "text/plain" });
  res.end(ok ? "ok " + name : "not found");
}).listen(Number(port), host, () => console.log("listening on " + host + ":" + port));
`;

const daemons = new Daemons();
const keepaliveds: ReturnType<Daemons["start"]>[] = [];
const haproxies: ReturnType<Daemons["start"]>[] = [];
const checkScripts: string[] = [];
const haproxyDirs: string[] = [];

function startHaproxy(i: number, name: string) {
  return daemons.start(`${name}-${i}`, "ip", ["netns", "exec", ns(i), "haproxy", "-db", "-f", join(haproxyDirs[i], "haproxy.cfg")], join(haproxyDirs[i], `${name}.log`));
}
let work: string;
let out: string;

function sh(args: string[]): string {
  const r = run(args[0], args.slice(1));
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.out}`);
  return r.stdout;
}

/** The node holding the VIP, from the kernel's address lists. */
function vipHolders(): string[] {
  return NODES.filter((_, i) => run("ip", ["-n", ns(i), "-4", "-o", "addr", "show", "dev", NIC]).stdout.includes(` ${VIP}/`)).map((n) => n.name);
}

/** curl from node i's namespace to the endpoint name on the VIP, verifying with the cluster CA. */
function viaVip(i: number) {
  const ca = join(out, "nodes", NODES[i].name, "files/etc/kubernetes/pki/ca.crt");
  return run("ip", ["netns", "exec", ns(i), "curl", "--silent", "--show-error", "--max-time", "3", "--cacert", ca, "--resolve", `${ENDPOINT}:${PORT}:${VIP}`, `https://${ENDPOINT}:${PORT}/healthz`]);
}

const notes = () => `${daemons.exited().join("\n")}\nkeepalived cp-1:\n${daemons.log("keepalived-0").slice(-2000)}`;

beforeAll(async () => {
  out = await writeToTemp(await generate(preIssued(exampleProfile("prod"))));
  work = mkdtempSync(join(tmpdir(), "ks-lb-"));
  writeFileSync(join(work, "apiserver.mjs"), APISERVER);
  sh(["ip", "netns", "add", SWITCH]);
  sh(["ip", "-n", SWITCH, "link", "add", "br0", "type", "bridge"]);
  sh(["ip", "-n", SWITCH, "link", "set", "br0", "up"]);
  NODES.forEach((node, i) => {
    const tree = join(out, "nodes", node.name, "files");
    const ca = join(tree, "etc/kubernetes/pki/ca.crt");
    sh(["ip", "netns", "add", ns(i)]);
    sh(["ip", "link", "add", `${tag}a${i}`, "netns", ns(i), "type", "veth", "peer", "name", `${tag}b${i}`, "netns", SWITCH]);
    sh(["ip", "-n", ns(i), "link", "set", `${tag}a${i}`, "name", NIC]);
    sh(["ip", "-n", ns(i), "addr", "add", `${node.address}/24`, "dev", NIC]);
    sh(["ip", "-n", ns(i), "link", "set", NIC, "up"]);
    sh(["ip", "-n", ns(i), "link", "set", "lo", "up"]);
    sh(["ip", "-n", SWITCH, "link", "set", `${tag}b${i}`, "master", "br0", "up"]);
    const dir = mkdtempSync(join(work, `${node.name}-`));
    writeFileSync(join(dir, "haproxy.cfg"), readFileSync(join(tree, "etc/haproxy/haproxy.cfg"), "utf8").replaceAll("/etc/kubernetes/pki/ca.crt", ca));
    const keepalivedDir = mkdtempSync(join(work, `${node.name}-keepalived-`));
    copyFileSync(join(tree, "etc/keepalived/keepalived.conf"), join(keepalivedDir, "keepalived.conf"));
    writeFileSync(join(keepalivedDir, "check_apiserver.sh"), readFileSync(join(tree, "etc/keepalived/check_apiserver.sh"), "utf8").replaceAll("/etc/kubernetes/pki/ca.crt", ca), { mode: 0o755 });
    const pki = join(tree, "etc/kubernetes/pki");
    daemons.start(`apiserver-${i}`, "ip", ["netns", "exec", ns(i), process.execPath, join(work, "apiserver.mjs"), join(pki, "apiserver.key"), join(pki, "apiserver.crt"), node.address, "6443", node.name], join(dir, "apiserver.log"));
    haproxyDirs.push(dir);
    haproxies.push(startHaproxy(i, "haproxy"));
    checkScripts.push(join(keepalivedDir, "check_apiserver.sh"));
    const keepalived = `mount -t tmpfs tmpfs /run && mount --bind ${keepalivedDir} /etc/keepalived && exec keepalived --dont-fork --log-console --log-detail -f /etc/keepalived/keepalived.conf`;
    keepaliveds.push(daemons.start(`keepalived-${i}`, "ip", ["netns", "exec", ns(i), "unshare", "--mount", "sh", "-c", keepalived], join(dir, "keepalived.log")));
  });
}, 120_000);

afterAll(async () => {
  await daemons.stopAll();
  for (const name of [SWITCH, ...NODES.map((_, i) => ns(i))]) run("ip", ["netns", "del", name]);
});

describe("keepalived + haproxy on the prod control planes", () => {
  it("puts the VIP on the init node only, and serves the endpoint through it with the cluster CA", async () => {
    await waitFor("the VIP on kube-cp-1", () => (vipHolders().join() === "kube-cp-1" ? true : undefined), 60_000, notes);
    const r = await waitFor("/healthz through the VIP", () => {
      const c = viaVip(1);
      return c.status === 0 ? c : undefined;
    }, 60_000, notes);
    expect(r.stdout).toMatch(/^ok kube-cp-[123]$/);
    // settled on the init node alone: under CPU starvation a BACKUP that misses adverts may claim the VIP
    // for a moment and hand it back when it hears the MASTER's higher priority (VRRP does exactly that)
    await waitFor("the VIP on kube-cp-1 alone", () => (vipHolders().join() === "kube-cp-1" ? true : undefined), 60_000, notes);
    // haproxy spreads requests over every apiserver once its checks see them healthy (rise 2, inter 5s)
    const served = new Set<string>();
    await waitFor("every apiserver serving through the VIP", () => {
      // only answers count: a request that fails under load (empty stdout) would never let the set settle
      for (let k = 0; k < 6; k++) {
        const c = viaVip(2);
        if (c.status === 0) served.add(c.stdout);
      }
      return served.size === 3 ? true : undefined;
    }, 60_000, () => [...served].join(", ") + "\n" + notes());
    expect([...served].sort()).toEqual(["ok kube-cp-1", "ok kube-cp-2", "ok kube-cp-3"]);
  }, 200_000);

  it("runs the generated check script: keepalived saw it succeed, and it fails with a clear message when haproxy is down", async () => {
    const succeeded = (i: number) => daemons.log(`keepalived-${i}`).includes("VRRP_Script(check_apiserver) succeeded");
    await waitFor("keepalived's check to succeed on every node", () => (NODES.every((_, i) => succeeded(i)) ? true : undefined), 30_000, notes);
    expect(run("ip", ["netns", "exec", ns(2), "sh", checkScripts[2]]).status).toBe(0);
    haproxies[2].kill("SIGTERM");
    const r = await waitFor("the check to fail", () => {
      const c = run("ip", ["netns", "exec", ns(2), "sh", checkScripts[2]]);
      return c.status !== 0 ? c : undefined;
    }, 60_000, notes);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`check_apiserver: haproxy on 127.0.0.1:${PORT} does not reach a healthy kube-apiserver`);
    // back in service: the check passes again (the failover test below needs every haproxy)
    startHaproxy(2, "haproxy-again");
    await waitFor("the check to pass again", () => (run("ip", ["netns", "exec", ns(2), "sh", checkScripts[2]]).status === 0 ? true : undefined), 30_000, notes);
  }, 200_000); // the sum of its waits' upper bounds (30 + 60 + 30 s) and the runs between them

  it("refuses the endpoint to a client that does not trust the cluster CA", () => {
    const r = run("ip", ["netns", "exec", ns(1), "curl", "--silent", "--max-time", "3", "--resolve", `${ENDPOINT}:${PORT}:${VIP}`, `https://${ENDPOINT}:${PORT}/healthz`]);
    expect(r.status).toBe(60);
  });

  it("moves the VIP to a BACKUP when the MASTER's keepalived stops, and the endpoint keeps answering", async () => {
    keepaliveds[0].kill("SIGTERM");
    const holders = await waitFor("the VIP on a backup", () => {
      const h = vipHolders();
      return h.length === 1 && h[0] !== "kube-cp-1" ? h : undefined;
    }, 30_000, notes);
    expect(["kube-cp-2", "kube-cp-3"]).toContain(holders[0]);
    const r = await waitFor("/healthz through the moved VIP", () => {
      const c = viaVip(0);
      return c.status === 0 ? c : undefined;
    }, 60_000, notes);
    expect(r.stdout).toMatch(/^ok kube-cp-[123]$/);
  }, 150_000);
});
