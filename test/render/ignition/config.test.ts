/**
 * The Ignition renderer over a table of topologies: the node tree is the same list cloud-init writes
 * (only the OS-forced differences), units are enabled as cloud-init's runcmd enables them, `overwrite`
 * only where the image has the file, the admin's groups follow the password rule, the network files
 * say what network-config says, and a missing hash fails with every missing URL named.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../generator/core/errors.js";
import { firstBootCommands } from "../../../generator/render/cloud-init/runcmd.js";
import { dataUrl, percentEncode } from "../../../generator/render/ignition/data-url.js";
import { kubernetesDownloads, NO_FILES_LOCK } from "../../../generator/render/ignition/downloads.js";
import { OVERWRITES } from "../../../generator/render/ignition/os.js";
import { TREE_UNITS_ENABLED } from "../../../generator/render/ignition/units.js";
import type { ProfileInput } from "../../../generator/profile/schema.js";
import { generate } from "../../helpers/generate.js";
import { decodeContents, generateWithLock, ignitionOf, isRemote } from "../../helpers/ignition.js";
import { topology } from "../../helpers/profiles.js";

const VERSION = "v1.34.10"; // the version profiles/coreos.files.lock.json has hashes for

function onOs(p: ProfileInput, os: "debian" | "fedora-coreos" | "flatcar", host: Record<string, unknown> = {}): ProfileInput {
  return { ...p, spec: { ...p.spec, host: { ...p.spec.host, os, ...host } } };
}

describe("data URLs", () => {
  it.each([
    ["short text stays percent-encoded", "node-1\n", "data:,node-1%0A", undefined],
    ["UTF-8 is encoded byte by byte", "—\n", "data:,%E2%80%94%0A", undefined],
  ])("%s", (_, text, source, compression) => {
    expect(dataUrl(text)).toEqual({ source, ...(compression ? { compression } : {}) });
  });

  it("a repetitive text is gzipped, a text full of escapes goes base64, and both decode to the input", () => {
    const script = "#!/bin/bash\n" + "echo 'kubeseed step'\n".repeat(40);
    const gz = dataUrl(script);
    expect(gz.compression).toBe("gzip");
    expect(gunzipSync(Buffer.from(gz.source.slice("data:;base64,".length), "base64")).toString()).toBe(script);
    const escapes = "{}[]<>\"'\n".repeat(3);
    expect(dataUrl(escapes).source.startsWith("data:;base64,")).toBe(true);
    expect(decodeContents(dataUrl(escapes))).toBe(escapes);
    expect(percentEncode("a b/c")).toBe("a%20b%2Fc");
  });
});

describe.each([
  ["1 Fedora CoreOS control plane, no VLAN", onOs(topology(1, 0, {}, VERSION), "fedora-coreos")],
  ["3+2 Fedora CoreOS with a VIP, firewall", onOs(topology(3, 2, {}, VERSION), "fedora-coreos", { firewall: "nftables" })],
  ["1+1 Flatcar, VLAN, private only", onOs(topology(1, 1, { network: { cidr: "192.168.1.0/24", vlan: 7, gateway: "192.168.1.1", publicInterface: "none" } }, VERSION), "flatcar")],
])("%s", (_, profile) => {
  it("writes the node tree cloud-init would write, minus the apt script, plus only OS files", async () => {
    const g = await generateWithLock(profile);
    // the same cluster on Debian, with the balancer these OSes force (static pods: no packages here)
    const onDebianProfile = onOs(profile, "debian");
    if (g.model.loadBalancer !== "none") onDebianProfile.spec.controlPlane = { ...onDebianProfile.spec.controlPlane, loadBalancer: g.model.loadBalancer };
    const debian = await generate(onDebianProfile);
    for (const n of g.plan.nodes) {
      const cfg = ignitionOf(g, n.node.name);
      const unitPaths = cfg.systemd.units.flatMap((u) => [
        ...(u.contents !== undefined ? [`/etc/systemd/system/${u.name}`] : []),
        ...(u.dropins ?? []).map((d) => `/etc/systemd/system/${u.name}.d/${d.name}`),
      ]);
      const written = new Set([...cfg.storage.files.filter((f) => !isRemote(f)).map((f) => f.path), ...unitPaths]);
      const planned = n.files.map((f) => f.path);
      for (const p of planned) expect(written.has(p), `${n.node.name} ${p}`).toBe(true);
      // the same node on Debian: the same files, but the apt script (and Flatcar's bootstrap location)
      const onDebian = debian.plan.nodes.find((d) => d.node.name === n.node.name)!.files.map((f) => f.path);
      const programs = n.node.role === "control-plane" ? ["kubeseed-bootstrap", "kubeseed-renew-certs"] : ["kubeseed-bootstrap"];
      const moved = n.node.os === "flatcar" ? programs.map((p) => `/usr/local/sbin/${p}`) : [];
      expect(onDebian.filter((p) => !planned.includes(p)).sort()).toEqual(["/usr/local/sbin/kubeseed-install-kubernetes", ...moved].sort());
      expect(planned.filter((p) => !onDebian.includes(p)).sort()).toEqual(n.node.os === "flatcar" ? programs.map((p) => `/opt/bin/${p}`) : []);
      // every extra file is an OS file: hostname, network, kubelet/containerd/unpack units and drop-ins
      const extra = [...written].filter((p) => !planned.includes(p));
      for (const p of extra) expect(p, n.node.name).toMatch(/^\/etc\/(hostname|NetworkManager\/system-connections\/.+\.nmconnection|systemd\/network\/10-.+|systemd\/system\/(kubelet\.service(\.d\/10-kubeadm\.conf)?|kubeseed-unpack-binaries\.service|containerd\.service\.d\/10-kubeseed\.conf|kubeseed-(bootstrap|renew-certs)\.service\.d\/10-path\.conf))$/);
      // overwrite only where the image has the file, and on NetworkManager's keyfiles
      for (const f of cfg.storage.files) expect(!!f.overwrite, f.path).toBe(OVERWRITES.has(f.path) || f.path.endsWith(".nmconnection"));
      // remote files: the node's downloads
      expect(cfg.storage.files.filter(isRemote).map((f) => f.contents.source).sort()).toEqual(kubernetesDownloads(g.model, n.node).map((d) => d.url).sort());
    }
  });

  it("enables the tree's units exactly as cloud-init's runcmd does, plus containerd, the kubelet and the unpacker", async () => {
    const g = await generateWithLock(profile);
    for (const n of g.plan.nodes) {
      const enabled = ignitionOf(g, n.node.name).systemd.units.filter((u) => u.enabled).map((u) => u.name);
      const byRuncmd = firstBootCommands(g.model, n.node)
        .filter((c) => c[0] === "systemctl" && c[1] === "enable")
        .flatMap((c) => c.filter((w) => w.endsWith(".service") || w.endsWith(".timer")));
      for (const u of byRuncmd) expect(TREE_UNITS_ENABLED.has(u), u).toBe(true);
      expect(enabled.sort()).toEqual([...byRuncmd, "containerd.service", "kubelet.service", "kubeseed-unpack-binaries.service"].sort());
    }
  });
});

describe("the admin, the network, the versions and the lock", () => {
  it("puts a key-only admin in wheel and sudo (passwordless), one with a password in wheel only", async () => {
    const keyOnly = ignitionOf(await generateWithLock(onOs(topology(1, 0, {}, VERSION), "flatcar")), "cp-1");
    expect(keyOnly.passwd.users[0]).toMatchObject({ name: "administrator", uid: 1000, primaryGroup: "administrator", groups: ["wheel", "sudo"] });
    expect(keyOnly.passwd.groups).toEqual([{ name: "administrator", gid: 1000 }]);
    const p = onOs(topology(1, 0, {}, VERSION), "fedora-coreos");
    p.spec.admin.passwordHash = "$6$x$y";
    const withPassword = ignitionOf(await generateWithLock(p), "cp-1");
    expect(withPassword.passwd.users[0]).toMatchObject({ groups: ["wheel"], passwordHash: "$6$x$y" });
  });

  it("NetworkManager: static address with the gateway only without a public NIC, VLAN on its parent", async () => {
    const text = (g: Awaited<ReturnType<typeof generateWithLock>>, path: string) => decodeContents(ignitionOf(g, "cp-1").storage.files.find((f) => f.path === path)!.contents);
    const flat = await generateWithLock(onOs(topology(1, 0, { network: { cidr: "192.168.1.0/24", gateway: "192.168.1.1", publicInterface: "none" } }, VERSION), "fedora-coreos"));
    expect(text(flat, "/etc/NetworkManager/system-connections/eth1.nmconnection")).toContain("[ipv4]\nmethod=manual\naddress1=192.168.1.11/24,192.168.1.1\n");
    const vlan = await generateWithLock(onOs(topology(1, 0, { network: { cidr: "192.168.1.0/24", vlan: 100, gateway: "192.168.1.1" } }, VERSION), "fedora-coreos"));
    expect(text(vlan, "/etc/NetworkManager/system-connections/eth1.100.nmconnection")).toContain("[vlan]\nparent=eth1\nid=100\n\n[ipv4]\nmethod=manual\naddress1=192.168.1.11/24\n");
    expect(text(vlan, "/etc/NetworkManager/system-connections/eth1.nmconnection")).toContain("[ipv4]\nmethod=disabled\n");
    expect(text(vlan, "/etc/NetworkManager/system-connections/eth0.nmconnection")).toContain("[ipv4]\nmethod=auto\n");
  });

  it("writes spec 3.4.0 on request, and uses static pods for the VIP balancer on these OSes", async () => {
    const g = await generateWithLock(onOs(topology(3, 0, {}, VERSION), "fedora-coreos", { ignitionVersion: "3.4.0" }));
    expect(ignitionOf(g, "cp-1").ignition.version).toBe("3.4.0");
    expect(g.model.loadBalancer).toBe("static-pods");
  });

  it("without hashes, fails naming every URL the lock lacks; preinstalled needs none", async () => {
    const p = onOs(topology(1, 0, {}, VERSION), "fedora-coreos");
    const err = await generateWithLock(p, undefined, NO_FILES_LOCK).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.message).toBe("<profile>.files.lock.json lacks the hash of 5 files that Ignition downloads on cp-1");
    expect(e.diagnostics.map((d) => d.code)).toEqual(Array(5).fill("files-lock-missing"));
    expect(e.diagnostics.map((d) => d.message)).toContain(`no sha256 for https://dl.k8s.io/release/${VERSION}/bin/linux/amd64/kubeadm in <profile>.files.lock.json`);
    // every node that downloads them is named, each URL once: not only the first node's problem
    const three = (await generateWithLock(onOs(topology(2, 1, {}, VERSION), "fedora-coreos"), undefined, NO_FILES_LOCK).catch((e: unknown) => e)) as UserError;
    expect(three.message).toBe("<profile>.files.lock.json lacks the hash of 5 files that Ignition downloads on cp-1, cp-2, worker-1");
    expect(three.diagnostics).toHaveLength(5);
    const pre = await generateWithLock(onOs(p, "fedora-coreos", { kubernetesPackages: "preinstalled" }), undefined, NO_FILES_LOCK);
    expect(ignitionOf(pre, "cp-1").storage.files.filter(isRemote)).toEqual([]);
  });
});
