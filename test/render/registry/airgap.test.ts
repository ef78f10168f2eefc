/**
 * Air-gap mode (spec.registry.mode: airgap) over the example profiles and an HA topology with static
 * pods: every image reference in every rendered node file is in images.json and points at
 * registry.local (the proof of completeness); kubeadm's own image list comes from the real kubeadm
 * (`kubeadm config images list` on the generated init config); containerd's certs.d, /etc/hosts, the
 * registry certificate, images.lock.json pinning, and online mode rendering no registry file at all.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Generated } from "../../../generator/bundle/generate.js";
import { generateCluster } from "../../../generator/bundle/generate.js";
import type { ImageLock } from "../../../generator/model/build.js";
import { defaultKeyFactory } from "../../../generator/pki/keys.js";
import { systemRandom } from "../../../generator/core/clock.js";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { artifact, exampleProfile, generate, TEST_CLOCK, writeToTemp } from "../../helpers/generate.js";
import { kubeBin } from "../../helpers/kube-bins.js";
import { topology } from "../../helpers/profiles.js";
import { run } from "../host/topologies.js";

const AIRGAP = { mode: "airgap" as const, address: "192.168.1.5" };

function airgap(p: ProfileInput, extra: Partial<NonNullable<ProfileInput["spec"]["registry"]>> = {}): ProfileInput {
  return { ...p, spec: { ...p.spec, registry: { ...AIRGAP, ...extra } } };
}

const text = (g: Generated, path: string) => artifact(g, path);
const nodeFiles = (g: Generated) => g.bundle.artifacts.filter((a) => /^nodes\/[^/]+\/files\//.test(a.path) && typeof a.contents === "string");

/** Every container image reference a node file names (manifests' image:, containerd's sandbox_image). */
function renderedRefs(g: Generated): Map<string, string> {
  const refs = new Map<string, string>();
  for (const a of nodeFiles(g)) {
    const s = a.contents as string;
    for (const m of s.matchAll(/^\s*-?\s*image:\s*(\S+)\s*$/gm)) refs.set(m[1], a.path);
    for (const m of s.matchAll(/sandbox_image = "([^"]+)"/g)) refs.set(m[1], a.path);
  }
  return refs;
}

interface ImagesJson {
  registry: string;
  images: { component: string; source: string; targets: string[]; digest: string | null }[];
}
const imagesJson = (g: Generated) => JSON.parse(text(g, "registry/images.json")) as ImagesJson;
const targets = (g: Generated) => new Set(imagesJson(g).images.flatMap((i) => i.targets));

const CASES: [string, () => ProfileInput][] = [
  ["dev", () => airgap(exampleProfile("dev"))],
  ["prod", () => airgap(exampleProfile("prod"), { addons: ["ingress-nginx"] })],
  ["ha static pods", () => airgap(topology(3, 1, { controlPlane: { endpoint: { host: "api.test.internal", vip: "192.168.1.5" }, loadBalancer: "static-pods" } }, "v1.34.2"), { address: "192.168.1.4", port: 5000, prefix: "mirror/k8s" })],
];

describe.each(CASES)("air-gapped %s", (_, profile) => {
  let g: Generated;
  it("renders only registry image references, every one of them in images.json", async () => {
    g = await generate(profile());
    const refs = renderedRefs(g);
    expect(refs.size).toBeGreaterThanOrEqual(3);
    const known = targets(g);
    const reg = imagesJson(g).registry;
    for (const [ref, file] of refs) {
      expect(ref.startsWith(`${reg}/`), `${file}: ${ref}`).toBe(true);
      expect(known.has(ref), `${file}: ${ref} is not in images.json`).toBe(true);
    }
    // nothing upstream is named anywhere in the node files
    for (const a of nodeFiles(g)) expect(a.contents as string, a.path).not.toMatch(/\b(registry\.k8s\.io|docker\.io|ghcr\.io|quay\.io)\/[a-z]/);
  });

  it("lists unique targets, and kubeadm's imageRepository is the registry", () => {
    const all = imagesJson(g).images.flatMap((i) => i.targets);
    expect(new Set(all).size).toBe(all.length);
    const init = g.plan.nodes.find((n) => n.node.init)!.node.name;
    const cluster = parse(text(g, `nodes/${init}/files/etc/kubernetes/kubeadm/config.yaml`).split(/^---$/m).find((d) => d.includes("kind: ClusterConfiguration"))!);
    expect(cluster.imageRepository).toBe(imagesJson(g).registry);
  });

  it("the real kubeadm pulls nothing that images.json does not list", async (ctx) => {
    const kubeadm = kubeBin("v1.34.10", "kubeadm");
    // skips only without the built kubeadm and without CI (CI builds it in scripts/setup-test-env.sh)
    if (!kubeadm && process.env.CI) throw new Error("CI is set but kubeadm v1.34.10 is not built (bash scripts/kube-bins.sh)");
    if (!kubeadm) return ctx.skip("kubeadm v1.34.10 is not built (bash scripts/kube-bins.sh)");
    // kubeadm 1.34 lists images for 1.33+ configs only: re-render the same profile at v1.34.10
    const p = profile();
    const h = await generate({ ...p, spec: { ...p.spec, kubernetes: { ...p.spec.kubernetes, version: "v1.34.10" } } });
    const out = await writeToTemp(h);
    const init = h.plan.nodes.find((n) => n.node.init)!.node.name;
    const r = run(kubeadm, ["config", "images", "list", "--config", `${out}/nodes/${init}/files/etc/kubernetes/kubeadm/config.yaml`], "kube-bins");
    expect(r.status, r.out).toBe(0);
    const listed = r.out.trim().split("\n");
    expect(listed).toHaveLength(7);
    const known = targets(h);
    for (const ref of listed) expect(known.has(ref), `kubeadm wants ${ref}`).toBe(true);
  });
});

describe("air-gapped node and operator files", () => {
  it("gives every node containerd mirrors for each upstream host, the registry's hosts.toml and its CA, and /etc/hosts the registry", async () => {
    const g = await generate(airgap(exampleProfile("prod")));
    for (const n of ["kube-cp-1", "kube-worker-3"]) {
      const base = `nodes/${n}/files/etc/containerd/certs.d`;
      const up = text(g, `${base}/registry.k8s.io/hosts.toml`);
      expect(up).toContain('server = "https://registry.local"');
      expect(up).toContain('[host."https://registry.local/v2/k8s"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n  ca = "/etc/containerd/certs.d/registry.local/ca.crt"\n');
      expect(text(g, `${base}/ghcr.io/hosts.toml`)).toContain("override_path = true");
      expect(text(g, `${base}/registry.local/hosts.toml`)).toContain('[host."https://registry.local"]');
      expect(text(g, `${base}/registry.local/ca.crt`)).toBe(g.issue.secrets.cas.registry!.cert);
      expect(text(g, `nodes/${n}/files/etc/hosts`)).toContain("\n192.168.1.5 registry.local\n");
    }
    const cert = new X509Certificate(text(g, "registry/tls/registry.crt"));
    expect(cert.subjectAltName).toBe("DNS:registry.local, IP Address:192.168.1.5");
    expect(cert.verify(new X509Certificate(text(g, "registry/ca.crt")).publicKey)).toBe(true);
    expect(cert.checkIssued(new X509Certificate(g.issue.secrets.cas.kubernetes.cert))).toBe(false);
    const cfg = parse(text(g, "registry/config.yml"));
    expect(cfg.http).toMatchObject({ addr: ":443", tls: { certificate: "/etc/docker/registry/tls/registry.crt", key: "/etc/docker/registry/tls/registry.key" } });
    expect(g.bundle.artifacts.find((a) => a.path === "registry/tls/registry.key")).toMatchObject({ mode: 0o600, sensitive: true });
  });

  it("keeps the registry CA in the secrets file across runs, and plain HTTP needs no CA", async () => {
    const first = await generate(airgap(exampleProfile("dev")));
    const again = await generate(airgap(exampleProfile("dev")), first.issue.secrets);
    expect(again.issue.secrets.cas.registry).toEqual(first.issue.secrets.cas.registry);
    expect(again.issue.issued).toEqual([]);
    // back online: the CA stays in the secrets (never dropped), no registry file is rendered
    const online = await generate(exampleProfile("dev"), first.issue.secrets);
    expect(online.issue.secrets.cas.registry).toEqual(first.issue.secrets.cas.registry);
    expect(online.bundle.artifacts.filter((a) => a.path.startsWith("registry/") || a.path.includes("certs.d"))).toEqual([]);
    const plain = await generate(airgap(exampleProfile("dev"), { tls: "insecure" }));
    expect(plain.issue.secrets.cas.registry).toBeUndefined();
    expect(text(plain, "nodes/kube-node-2/files/etc/containerd/certs.d/registry.k8s.io/hosts.toml")).toContain('[host."http://registry.local/v2/k8s"]');
  });

  it("gives podman / CRI-O hosts registries.conf rewriting every upstream, and a signature policy when asked", async () => {
    const g = await generate(exampleProfile("prod-airgap"));
    const conf = text(g, "registry/containers/registries.conf");
    for (const host of ["ghcr.io", "registry.k8s.io"]) expect(conf).toContain(`[[registry]]\nprefix = "${host}"\nlocation = "registry.local/k8s"\ninsecure = false\n`);
    expect(conf).toContain('short-name-mode = "enforcing"');
    const policy = JSON.parse(text(g, "registry/containers/policy.json"));
    expect(policy.default).toEqual([{ type: "reject" }]);
    expect(policy.transports.docker["registry.local"]).toEqual([{ type: "signedBy", keyType: "GPGKeys", keyPath: "/etc/containers/keys/registry.pgp" }]);
    expect(policy.transports.docker["registry.k8s.io"][0].signedIdentity).toEqual({ type: "remapIdentity", prefix: "registry.k8s.io", signedPrefix: "registry.local/k8s" });
    expect(parse(text(g, "registry/containers/registries.d/kubeseed.yaml"))).toEqual({ docker: { "registry.local": { lookaside: "http://sigstore.local:81/sigstore/" } } });
    expect(text(g, "registry/containers/certs.d/registry.local/ca.crt")).toBe(g.issue.secrets.cas.registry!.cert);
    const unsigned = await generate(airgap(exampleProfile("dev")));
    expect(unsigned.bundle.artifacts.map((a) => a.path).filter((p) => p.startsWith("registry/containers/"))).toEqual([
      "registry/containers/certs.d/registry.local/ca.crt",
      "registry/containers/registries.conf",
    ]);
  });

  it("pins every rendered image by digest when images.lock.json has it", async () => {
    const p = airgap(exampleProfile("dev"));
    const plain = await generate(p);
    const lock: ImageLock = {};
    imagesJson(plain).images.forEach((i, n) => (lock[i.source] = `sha256:${String(n).padStart(64, "0")}`));
    const pinned = await generateCluster(p, plain.issue.secrets, { clock: TEST_CLOCK, random: systemRandom, keys: defaultKeyFactory }, { imageLock: lock });
    const refs = [...renderedRefs(pinned).keys()];
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) expect(ref).toMatch(/^registry\.local\/k8s\/[^@]+:[^@]+@sha256:0{61}\d{3}$/);
    expect(imagesJson(pinned).images.every((i) => i.digest !== null)).toBe(true);
  });

  it("mirror.sh of a signed-images profile refuses an unsigned push, and passes shellcheck", async () => {
    const out = await writeToTemp(await generate(exampleProfile("prod-airgap")));
    const script = `${out}/registry/mirror.sh`;
    const sc = run("shellcheck", [script], "shellcheck");
    expect(sc.status, sc.out).toBe(0);
    expect(readFileSync(script, "utf8")).toContain('if [ -z "${SIGN_BY:-}" ] && [ "${ALLOW_UNSIGNED:-}" != 1 ]; then');
  });

  it("mirror.sh passes bash -n and shellcheck, for one and for several architectures", async () => {
    for (const archs of [["amd64"], ["amd64", "arm64"]] as const) {
      const g = await generate(airgap(exampleProfile("prod"), { architectures: [...archs], addons: ["ingress-nginx"] }));
      const out = await writeToTemp(g);
      const script = `${out}/registry/mirror.sh`;
      expect(run("bash", ["-n", script], "bash").status).toBe(0);
      const sc = run("shellcheck", [script], "shellcheck");
      expect(sc.status, sc.out).toBe(0);
      expect(readFileSync(script, "utf8")).toContain(archs.length === 1 ? "global=(--override-os linux --override-arch amd64)" : "copy_flags=(--multi-arch all)");
    }
  });
});

describe("the registry host's own files", () => {
  it("adds the service drop-in only for a port below 1024, which Debian's docker-registry user cannot bind", async () => {
    const unit = readFileSync("/lib/systemd/system/docker-registry.service", "utf8");
    expect(unit).toMatch(/^User=docker-registry$/m);
    const low = await generate(airgap(exampleProfile("dev")));
    expect(text(low, "registry/docker-registry.service.d/kubeseed.conf")).toContain("[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n");
    const high = await generate(airgap(exampleProfile("dev"), { port: 5000 }));
    expect(high.bundle.artifacts.some((a) => a.path.startsWith("registry/docker-registry.service.d/"))).toBe(false);
    expect(parse(text(high, "registry/config.yml")).http.addr).toBe(":5000");
  });
});
