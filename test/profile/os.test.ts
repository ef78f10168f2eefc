/**
 * The node OS in the profile: spec.host.os with a per-node override, and the rules that keep spec.host
 * honest on every node's OS (profile/rules-os.ts): each row edits lines of
 * test/fixtures/profiles/valid.yaml and lists every diagnostic expected (code, path, line).
 */
import { describe, expect, it } from "vitest";
import { buildModel } from "../../generator/model/build.js";
import { load, summary, variant } from "./support.js";

type Row = [title: string, edits: readonly (readonly [string, string])[], expected: string[]];

const HOST = "  users:";
const host = (lines: string) => `  host:\n${lines}\n  users:`;
const CP3 = "      address: 192.168.1.13";
const WORKER = "      address: 192.168.1.21";
/** Fedora CoreOS's core takes uid 1000 (model/os.ts ownIds): the admin moves to 1001 on FCOS rows */
const UID = ["    uid: 1000", "    uid: 1001"] as const;

const rows: Row[] = [
  ["Fedora CoreOS everywhere is valid (download by default, static-pods balancer)", [UID, [HOST, host("    os: fedora-coreos")]], []],
  ["Fedora CoreOS with the admin at uid 1000, core's uid", [[HOST, host("    os: fedora-coreos")]], ["admin-id-taken spec.admin.uid 40"]],
  ["Flatcar with the admin at uid/gid 1000 is valid (core is 500:500)", [[HOST, host("    os: flatcar")]], []],
  ["a Flatcar worker among Debian nodes is valid", [[WORKER, `${WORKER}\n      os: flatcar`]], []],
  ["unknown OS on a node", [[WORKER, `${WORKER}\n      os: rhcos`]], ["invalid-enum spec.nodes[3].os 36"]],
  ["apt on Fedora CoreOS", [UID, [HOST, host("    os: fedora-coreos\n    kubernetesPackages: apt")]], ["os-packages spec.host.kubernetesPackages 52"]],
  ["apt upgrade, seed 000's editor and base packages on Ignition nodes", [[WORKER, `${WORKER}\n      os: flatcar`], [HOST, host("    upgrade: true\n    editor: vim\n    basePackages: true")]], [
    "os-host-option spec.host.basePackages 54",
    "os-host-option spec.host.editor 53",
    "os-host-option spec.host.upgrade 52",
  ]],
  ["download on a Debian node", [[WORKER, `${WORKER}\n      os: flatcar`], [HOST, host("    kubernetesPackages: download")]], ["os-packages spec.host.kubernetesPackages 52"]],
  ["preinstalled works everywhere", [[WORKER, `${WORKER}\n      os: flatcar`], [HOST, host("    kubernetesPackages: preinstalled")]], []],
  [
    "host-services balancer on a Fedora CoreOS control plane",
    [UID, [CP3, `${CP3}\n      os: fedora-coreos`], ["    bindPort: 6443", "    bindPort: 6443\n    loadBalancer: host-services"]],
    ["os-balancer spec.controlPlane.loadBalancer 22"],
  ],
  ["unknown Ignition version", [[HOST, host("    os: flatcar\n    ignitionVersion: 3.5.0")]], ["invalid-enum spec.host.ignitionVersion 52"]],
];

describe("node OS rules", () => {
  it.each(rows)("%s", (_, edits, expected) => {
    expect(summary(load(variant(edits)).diagnostics)).toEqual(expected);
  });

  it("names the node that holds the admin's uid, why, and a free uid", () => {
    const { diagnostics } = load(variant([[CP3, `${CP3}\n      os: fedora-coreos`]]));
    expect(diagnostics.map((d) => d.code)).toEqual(["admin-id-taken"]);
    expect(diagnostics[0].message).toMatch(/^admin uid 1000 is taken on node cp-3: Fedora CoreOS's base Ignition config .* creates the user core/);
    expect(diagnostics[0].hint).toMatch(/use 1001 \(uid and gid\) on all nodes/);
  });

  it("names the offending nodes and the way out", () => {
    const { diagnostics } = load(variant([[WORKER, `${WORKER}\n      os: flatcar`], [HOST, host("    kubernetesPackages: apt")]]));
    expect(diagnostics[0].message).toBe("kubernetesPackages: apt does not work on node worker-1 (flatcar)");
    expect(diagnostics[0].hint).toMatch(/remove the key/);
  });
});

describe("the model decides each node's OS and packages", () => {
  it("node override > spec.host.os > debian; packages default per OS; the balancer falls back to static pods", () => {
    const { profile } = load(variant([UID, [HOST, host("    os: fedora-coreos")], [WORKER, `${WORKER}\n      os: flatcar`], [CP3, `${CP3}\n      os: debian`]]));
    const m = buildModel(profile!);
    expect(m.nodes.map((n) => [n.name, n.os, n.kubernetesPackages])).toEqual([
      ["cp-1", "fedora-coreos", "download"],
      ["cp-2", "fedora-coreos", "download"],
      ["cp-3", "debian", "apt"],
      ["worker-1", "flatcar", "download"],
    ]);
    expect(m.loadBalancer).toBe("static-pods");
    expect(m.host.ignitionVersion).toBe("3.3.0");
    const debian = buildModel(load(variant([])).profile!);
    expect([debian.loadBalancer, debian.nodes[0].os, debian.nodes[0].kubernetesPackages]).toEqual(["host-services", "debian", "apt"]);
  });
});
