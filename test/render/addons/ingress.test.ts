/**
 * ingress-nginx on NodePorts and the external load balancer (seeds 000 and 001):
 * - the manifest of the ingress example: fixed NodePorts, the controller image of the version's
 *   ingress-nginx release (the registry's in airgap mode), the default IngressClass, no admission webhook;
 *   only on the init node, applied after the CNI by its bootstrap;
 * - the load balancer's haproxy.cfg passes the real `haproxy -c`, and the real haproxy, run in a network
 *   namespace whose "nodes" answer on the NodePorts (Python's http.server), sends :80 and :443 to them,
 *   checks /healthz on the HTTP NodePort, and stops sending to a node whose check fails.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { Generated } from "../../../generator/bundle/generate.js";
import { artifact, exampleProfile, generate } from "../../helpers/generate.js";
import { Daemons, run, waitFor } from "../../consumers/support/proc.js";

let g: Generated;
let airgap: Generated;
beforeAll(async () => {
  g = await generate(exampleProfile("ingress"));
  const p = exampleProfile("ingress");
  airgap = await generate({ ...p, spec: { ...p.spec, registry: { mode: "airgap", address: "192.168.1.5" } } });
});

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean) as Record<string, any>[];
const manifest = (x: Generated) => docs(artifact(x, "nodes/kube-cp-1/files/etc/kubernetes/kubeseed/ingress-nginx.yaml"));

describe("the ingress-nginx manifest", () => {
  it("has the bare-metal objects without the admission webhook, in a fixed order", () => {
    expect(manifest(g).map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      "Namespace/ingress-nginx",
      "ServiceAccount/ingress-nginx",
      "Role/ingress-nginx",
      "ClusterRole/ingress-nginx",
      "RoleBinding/ingress-nginx",
      "ClusterRoleBinding/ingress-nginx",
      "ConfigMap/ingress-nginx-controller",
      "Service/ingress-nginx-controller",
      "Deployment/ingress-nginx-controller",
      "IngressClass/nginx",
    ]);
  });

  it("exposes the profile's fixed NodePorts, inside the range the firewall opens", () => {
    const svc = manifest(g).find((d) => d.kind === "Service")!;
    expect(svc.spec.type).toBe("NodePort");
    expect(svc.spec.ports.map((p: { name: string; port: number; nodePort: number }) => [p.name, p.port, p.nodePort])).toEqual([["http", 80, 30080], ["https", 443, 30043]]);
    expect(artifact(g, "nodes/kube-cp-1/files/etc/kubeseed/nftables.nft")).toContain('tcp dport 30001-30099 accept comment "NodePort services"');
  });

  it("runs the release's controller (the registry's in airgap mode), 2 replicas, default IngressClass", () => {
    const dep = manifest(g).find((d) => d.kind === "Deployment")!;
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.template.spec.containers[0].image).toMatch(/^registry\.k8s\.io\/ingress-nginx\/controller:v1\.15\.1@sha256:[0-9a-f]{64}$/);
    expect(dep.spec.template.spec.containers[0].args).not.toContainEqual(expect.stringMatching(/validating-webhook/));
    expect(manifest(airgap).find((d) => d.kind === "Deployment")!.spec.template.spec.containers[0].image).toMatch(/^registry\.local\/k8s\/ingress-nginx\/controller:v1\.15\.1@sha256:/);
    expect(manifest(g).find((d) => d.kind === "IngressClass")!.metadata.annotations).toEqual({ "ingressclass.kubernetes.io/is-default-class": "true" });
    // the airgap mirror carries its images
    expect(artifact(airgap, "registry/images.txt")).toMatch(/ingress-nginx\/controller:v1\.15\.1/);
  });

  it("is on the init node only, and its bootstrap applies it after the CNI", () => {
    const holders = g.bundle.artifacts.filter((a) => a.path.endsWith("/kubeseed/ingress-nginx.yaml")).map((a) => a.path.split("/")[1]);
    expect(holders).toEqual(["kube-cp-1"]);
    expect(artifact(g, "nodes/kube-cp-1/files/usr/local/sbin/kubeseed-bootstrap")).toContain("ADDON_MANIFESTS=('/etc/kubernetes/kubeseed/ingress-nginx.yaml')");
    expect(artifact(g, "nodes/kube-cp-2/files/usr/local/sbin/kubeseed-bootstrap")).toContain("ADDON_MANIFESTS=()");
  });
});

const NS = `kslb${process.pid % 100000}`;
const daemons = new Daemons();
const inNs = (cmd: string, ...args: string[]) => run("ip", ["netns", "exec", NS, cmd, ...args], { timeoutMs: 20_000 });

describe("the external load balancer's haproxy.cfg", () => {
  let work = "";
  const nodes = () => g.model.nodes.map((n) => n.address);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "ks-lb-"));
    writeFileSync(join(work, "haproxy.cfg"), artifact(g, "load-balancer/haproxy.cfg"));
  });

  afterAll(async () => {
    await daemons.stopAll();
    run("ip", ["netns", "del", NS]);
  });

  it("passes haproxy -c and names every node's two NodePorts with checks of /healthz", () => {
    const r = run("haproxy", ["-c", "-f", join(work, "haproxy.cfg")]);
    expect(r.status, r.out).toBe(0);
    const cfg = artifact(g, "load-balancer/haproxy.cfg");
    for (const a of nodes()) {
      expect(cfg).toContain(`${a}:30080`);
      expect(cfg).toContain(`${a}:30043`);
    }
    expect(cfg).toMatch(/^frontend http\n {4}bind \*:80$/m);
    expect(cfg).toMatch(/^frontend https\n {4}bind \*:443$/m);
    expect(cfg.match(/default-server check port 30080/g)).toHaveLength(2);
  });

  it("the real haproxy routes :80 and :443 to the nodes' NodePorts and takes out a node whose check fails", async () => {
    expect(run("ip", ["netns", "add", NS]).status).toBe(0);
    expect(inNs("sh", "-euc", `ip link set lo up; ${nodes().map((a) => `ip addr add ${a}/32 dev lo`).join("; ")}`).status).toBe(0);
    const servers = new Map<string, ReturnType<Daemons["start"]>>();
    for (const [i, a] of nodes().entries()) {
      const dir = join(work, `node-${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, "healthz"), "ok\n");
      writeFileSync(join(dir, "who"), `${a}\n`);
      for (const port of [30080, 30043]) servers.set(`node-${i}-${port}`, daemons.start(`node-${i}-${port}`, "ip", ["netns", "exec", NS, "python3", "-m", "http.server", String(port), "--bind", a, "--directory", dir], join(work, `node-${i}-${port}.log`)));
    }
    daemons.start("haproxy", "ip", ["netns", "exec", NS, "haproxy", "-f", join(work, "haproxy.cfg"), "-db"], join(work, "haproxy.log"));
    const get = (port: number) => inNs("curl", "--silent", "--fail", "--max-time", "3", `http://127.0.0.1:${port}/who`);
    const seen = new Set<string>();
    await waitFor("every node answers through :80", () => {
      const r = get(80);
      if (r.status === 0) seen.add(r.stdout.trim());
      return seen.size === nodes().length ? true : undefined;
    }, 60_000, () => `${[...seen]}\n${daemons.log("haproxy").slice(-2000)}`);
    const https = get(443);
    expect(https.status, https.out).toBe(0);
    expect(nodes()).toContain(https.stdout.trim());
    // the first node's HTTP NodePort stops: its check fails, and :80 and :443 only reach the others
    const stopped = servers.get("node-0-30080")!;
    await new Promise<void>((resolve) => {
      stopped.once("exit", () => resolve());
      stopped.kill("SIGTERM");
    });
    await waitFor("haproxy marks the node down", () => (/ingress-http\/kube-cp-1 is DOWN/.test(daemons.log("haproxy")) && /ingress-https\/kube-cp-1 is DOWN/.test(daemons.log("haproxy")) ? true : undefined), 60_000, () => daemons.log("haproxy").slice(-2000));
    for (let i = 0; i < 8; i++) {
      for (const port of [80, 443]) {
        const r = get(port);
        expect(r.status, `:${port} ${r.out}\n${daemons.log("haproxy").slice(-1500)}`).toBe(0);
        expect(r.stdout.trim()).not.toBe(nodes()[0]);
      }
    }
  }, 120_000);
});
