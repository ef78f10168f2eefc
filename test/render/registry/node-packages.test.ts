/**
 * Node packages of an air-gapped cluster, rendered (no network): files.json for prod-airgap, for a
 * static-pods + nftables + base-packages variant, for preinstalled Kubernetes and for Ignition nodes
 * (coreos with its files lock); mirror.sh's package steps under bash -n and shellcheck; the airgap
 * user-data under the real cloud-init 22.4.2 schema, naming no internet host in any of its parts;
 * the airgap kubeseed-install-kubernetes; the signed variant's key file; online mode unchanged.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Generated } from "../../../generator/bundle/generate.js";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { artifact, exampleProfile, generate, REPO_ROOT, writeToTemp } from "../../helpers/generate.js";
import { coreosExample, coreosLock, generateWithLock, ignitionOf, isRemote } from "../../helpers/ignition.js";
import { run } from "../host/topologies.js";

const KEY = readFileSync(`${REPO_ROOT}/test/fixtures/packages-key.asc`, "utf8");
type Registry = NonNullable<ProfileInput["spec"]["registry"]>;

function withRegistry(p: ProfileInput, extra: Partial<Registry>, spec: Partial<ProfileInput["spec"]> = {}): ProfileInput {
  return { ...p, spec: { ...p.spec, ...spec, registry: { ...p.spec.registry, mode: "airgap", address: "192.168.1.5", ...extra } } };
}

interface FilesJson {
  server: { url: string; repository: string; aptSource: string; signed: boolean; files: string };
  repositories: { id: string; url: string; suite: string; component: string | null; key: string }[];
  packages: { name: string; version: string | null; from: string[]; reason: string; nodes: string[] }[];
  files: { name: string; upstream: string; url: string; path: string; sha256: string | null; nodes: string[] }[];
}
const filesJson = (g: Generated) => JSON.parse(artifact(g, "registry/files.json")) as FilesJson;
const pkg = (f: FilesJson, name: string) => f.packages.find((p) => p.name === name);
const userData = (g: Generated, node: string) => parse(artifact(g, `nodes/${node}/cloud-init/user-data`));
const decoded = (f: { encoding?: string; content: string }) => (f.encoding === "gz+b64" ? gunzipSync(Buffer.from(f.content, "base64")).toString("utf8") : f.content);

/** Every http(s) host a text names, systemd's Documentation= links aside (never fetched). */
const hosts = (text: string) => new Set([...text.replace(/Documentation=[^\s"\\]+/g, "").matchAll(/\bhttps?:\/\/([^/:\s"'$]+)/g)].map((m) => m[1]));
/** the registry, the API endpoint's name and the node network: what an air-gapped node may reach */
const siteHost = (h: string) => ["registry.local", "k8s-api.prod.internal"].includes(h) || h.startsWith("192.168.1.");

describe("files.json", () => {
  it("prod-airgap: the exact Kubernetes packages, their two dependencies and every node's Debian packages, with where they come from", async () => {
    const g = await generate(exampleProfile("prod-airgap"));
    const f = filesJson(g);
    const all = g.plan.nodes.map((n) => n.node.name);
    const cps = g.plan.nodes.filter((n) => n.node.role === "control-plane").map((n) => n.node.name);
    const v = g.model.kubernetes.version.full.slice(1);
    expect(f.packages.map((p) => p.name)).toEqual(["kubeadm", "kubelet", "kubectl", "cri-tools", "kubernetes-cni", "containerd", "conntrack", "socat", "ethtool", "iptables", "ebtables", "ca-certificates", "curl", "nftables", "haproxy", "keepalived"]);
    for (const k of ["kubeadm", "kubelet", "kubectl"]) expect(pkg(f, k)).toEqual({ name: k, version: `${v}-1.1`, from: ["kubernetes"], reason: "kubernetes", nodes: all });
    expect(pkg(f, "cri-tools")).toMatchObject({ version: null, from: ["kubernetes"], reason: "kubernetes-dependency", nodes: all });
    expect(pkg(f, "containerd")).toEqual({ name: "containerd", version: null, from: ["bookworm", "bookworm-updates", "bookworm-security"], reason: "host", nodes: all });
    // the VIP balancer runs as Debian services on the control planes only
    expect(pkg(f, "haproxy")?.nodes).toEqual(cps);
    expect(pkg(f, "keepalived")?.nodes).toEqual(cps);
    // nothing fetches a key in airgap mode
    expect(pkg(f, "gpg")).toBeUndefined();
    expect(pkg(f, "apt-transport-https")).toBeUndefined();
    const minor = `v${g.model.kubernetes.version.major}.${g.model.kubernetes.version.minor}`;
    expect(f.repositories).toContainEqual({ id: "kubernetes", url: `https://pkgs.k8s.io/core:/stable:/${minor}/deb/`, suite: "/", component: null, key: `https://pkgs.k8s.io/core:/stable:/${minor}/deb/Release.key` });
    expect(f.repositories).toContainEqual({ id: "bookworm-security", url: "http://deb.debian.org/debian-security", suite: "bookworm-security", component: "main", key: "/usr/share/keyrings/debian-archive-keyring.gpg" });
    expect(f.server).toEqual({
      url: "http://registry.local:8080/",
      repository: "http://registry.local:8080/debs/",
      aptSource: "deb [trusted=yes] http://registry.local:8080/debs/ ./",
      signed: false,
      files: "http://192.168.1.5:8080/files/",
    });
    expect(f.files).toEqual([]);
  });

  it("static pods, nftables and seed 000's base list: no haproxy/keepalived packages, nftables and the base list on every node", async () => {
    const g = await generate(withRegistry(exampleProfile("prod"), {}, { controlPlane: { ...exampleProfile("prod").spec.controlPlane, loadBalancer: "static-pods" }, host: { firewall: "nftables", basePackages: true } }));
    const f = filesJson(g);
    const all = g.plan.nodes.map((n) => n.node.name);
    expect(pkg(f, "haproxy")).toBeUndefined();
    expect(pkg(f, "keepalived")).toBeUndefined();
    expect(pkg(f, "nftables")).toMatchObject({ reason: "host", nodes: all });
    expect(pkg(f, "ntpsec")).toMatchObject({ reason: "base", nodes: all });
    // curl is in both lists: listed once, for kubeseed's own files
    expect(f.packages.filter((p) => p.name === "curl")).toEqual([expect.objectContaining({ reason: "host" })]);
    // vim becomes the editor with the base list: it is in the list once
    expect(f.packages.filter((p) => p.name === "vim")).toEqual([expect.objectContaining({ reason: "base" })]);
  });

  it("editor: vim without the base list mirrors vim alone", async () => {
    const g = await generate(withRegistry(exampleProfile("prod"), {}, { host: { editor: "vim" } }));
    expect(pkg(filesJson(g), "vim")).toMatchObject({ reason: "base", nodes: g.plan.nodes.map((n) => n.node.name) });
    expect(pkg(filesJson(g), "ntpsec")).toBeUndefined();
  });

  it("preinstalled Kubernetes: no package and no pkgs.k8s.io, unless the base list is asked for", async () => {
    const none = filesJson(await generate(withRegistry(exampleProfile("dev"), {}, { host: { kubernetesPackages: "preinstalled" } })));
    expect(none.packages).toEqual([]);
    expect(none.repositories).toEqual([]);
    const base = filesJson(await generate(withRegistry(exampleProfile("dev"), {}, { host: { kubernetesPackages: "preinstalled", basePackages: true } })));
    expect(base.packages.every((p) => p.reason === "base")).toBe(true);
    expect(base.repositories.map((r) => r.id)).toEqual(["bookworm", "bookworm-updates", "bookworm-security"]);
  });

  it("Ignition nodes: every download with its upstream URL and the lock's sha256, fetched from the registry host's address", async () => {
    const lock = coreosLock();
    const g = await generateWithLock(withRegistry(coreosExample(), { packagesPort: 8081, packagesPath: "/kubeseed/" }), undefined, lock);
    const f = filesJson(g);
    expect(f.packages).toEqual([]);
    expect(f.files.map((x) => x.name)).toEqual(["kubeadm", "kubelet", "kubectl", "crictl", "cni-plugins"]);
    for (const x of f.files) {
      expect(x.sha256).toBe(lock.files[x.upstream].sha256);
      expect(x.path).toBe(`files/${x.upstream.replace(/^https:\/\//, "")}`);
      expect(x.url).toBe(`http://192.168.1.5:8081/kubeseed/${x.path}`);
      expect(x.nodes).toEqual(g.plan.nodes.map((n) => n.node.name));
    }
    // each Ignition config fetches exactly these URLs, verified with the lock's hash, and nothing upstream
    for (const n of g.plan.nodes) {
      const cfg = ignitionOf(g, n.node.name);
      const remote = cfg.storage.files.filter(isRemote);
      expect(remote.map((r) => r.contents.source).sort()).toEqual(f.files.map((x) => x.url).sort());
      for (const r of remote) expect(r.contents.verification?.hash).toBe(`sha256-${f.files.find((x) => x.url === r.contents.source)!.sha256}`);
      expect([...hosts(artifact(g, `nodes/${n.node.name}/ignition.json`))]).toEqual(["192.168.1.5"]);
    }
  });
});

describe("mirror.sh package steps", () => {
  it.each([
    ["prod-airgap", () => generate(exampleProfile("prod-airgap"))],
    ["signed, two architectures", () => generate(withRegistry(exampleProfile("prod-airgap"), { packagesKey: KEY, architectures: ["amd64", "arm64"] }))],
    ["coreos (Ignition downloads)", () => generateWithLock(withRegistry(coreosExample(), {}))],
  ] as const)("%s: bash -n and shellcheck pass", async (_, make) => {
    const g = await make();
    const script = `${await writeToTemp(g)}/registry/mirror.sh`;
    expect(run("bash", ["-n", script], "bash").status).toBe(0);
    const sc = run("shellcheck", [script], "shellcheck");
    expect(sc.status, sc.out).toBe(0);
    const text = readFileSync(script, "utf8");
    for (const step of ["save-packages) save_packages", "index-packages) index_packages", "push-packages) push_packages"]) expect(text).toContain(step);
    for (const p of filesJson(g).packages) expect(text).toContain(`  "${p.name}${p.version ? `=${p.version}` : ""}|`);
    for (const f of filesJson(g).files) expect(text).toContain(`  "${f.upstream}|${f.sha256}|${f.path}"`);
  });

  it("the signed variant carries the profile's key and refuses to push an unsigned repository", async () => {
    const g = await generate(withRegistry(exampleProfile("prod-airgap"), { packagesKey: KEY }));
    const text = artifact(g, "registry/mirror.sh");
    expect(text).toContain(KEY.trimEnd());
    expect(text).toContain('[ -f "$dir/debs/InRelease" ] || fail');
    expect(artifact(await generate(exampleProfile("prod-airgap")), "registry/mirror.sh")).not.toContain("InRelease\" ] || fail");
  });
});

describe("air-gapped Debian nodes", () => {
  it.each([
    ["unsigned", {}],
    ["signed", { packagesKey: KEY }],
  ] as const)("%s: every node's user-data passes the real cloud-init schema, has apt point at the flat repository only, and names no internet host", async (_, extra) => {
    const g = await generate(withRegistry(exampleProfile("prod-airgap"), extra));
    const out = await writeToTemp(g);
    const line = `deb [${"packagesKey" in extra ? "signed-by=/etc/apt/keyrings/kubeseed-packages.asc" : "trusted=yes"}] http://registry.local:8080/debs/ ./`;
    for (const n of g.plan.nodes) {
      const node = n.node.name;
      const r = run("cloud-init", ["schema", "--config-file", `${out}/nodes/${node}/cloud-init/user-data`], "cloud-init");
      expect(r.status, `${node}: ${r.out}`).toBe(0);
      expect(r.out).toMatch(/Valid cloud-config/);
      const doc = userData(g, node);
      expect(doc.apt).toEqual({
        preserve_sources_list: false,
        generate_mirrorlists: false,
        sources_list: expect.stringMatching(new RegExp(`^#[^\\n]*\\n${line.replace(/[[\]./]/g, "\\$&")}\\n$`)),
        conf: expect.stringContaining('\nDir::Etc::SourceParts "-";\n'),
      });
      // the whole document, files decoded: only the registry's and the cluster's own names
      const text = [artifact(g, `nodes/${node}/cloud-init/user-data`), ...doc.write_files.map(decoded)].join("\n");
      expect([...hosts(text)].sort()).toEqual(expect.arrayContaining(["registry.local"]));
      for (const h of hosts(text)) expect(siteHost(h), `${node} names ${h}`).toBe(true);
      expect(text).not.toMatch(/pkgs\.k8s\.io|deb\.debian\.org|dl\.k8s\.io|github\.com/);
      const key = n.files.find((f) => f.path === "/etc/apt/keyrings/kubeseed-packages.asc");
      if ("packagesKey" in extra) {
        expect(key).toMatchObject({ mode: 0o644 });
        expect(artifact(g, `nodes/${node}/files/etc/apt/keyrings/kubeseed-packages.asc`)).toBe(KEY);
      } else expect(key).toBeUndefined();
    }
  });

  it("kubeseed-install-kubernetes installs the pinned versions from the configured source and fetches nothing itself", async () => {
    const g = await generate(exampleProfile("prod-airgap"));
    const out = await writeToTemp(g);
    const path = `${out}/nodes/kube-worker-1/files/usr/local/sbin/kubeseed-install-kubernetes`;
    const text = readFileSync(path, "utf8");
    const v = `${g.model.kubernetes.version.full.slice(1)}-1.1`;
    expect(text).toContain(`version=${v}\n`);
    expect(text).toContain('apt-get install -y -q "kubelet=$version" "kubeadm=$version" "kubectl=$version"');
    expect(text).not.toMatch(/curl|gpg|pkgs\.k8s\.io|sources\.list/);
    expect(run("bash", ["-n", path], "bash").status).toBe(0);
    const sc = run("shellcheck", [path], "shellcheck");
    expect(sc.status, sc.out).toBe(0);
    expect(userData(g, "kube-worker-1").packages).not.toContain("gpg");
  });

  it("online mode keeps the image's apt sources and the upstream install", async () => {
    const g = await generate(exampleProfile("prod"));
    expect(userData(g, "kube-worker-1").apt).toBeUndefined();
    expect(artifact(g, "nodes/kube-worker-1/files/usr/local/sbin/kubeseed-install-kubernetes")).toContain("pkgs.k8s.io");
    expect(g.bundle.artifacts.some((a) => a.path === "registry/files.json")).toBe(false);
  });
});
