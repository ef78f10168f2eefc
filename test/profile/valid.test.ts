/** The example profiles and the fixture load cleanly; a broken profile reports every problem in one run. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasErrors } from "../../generator/core/diagnostics.js";
import { load, REPO, summary, VALID, variant } from "./support.js";

describe("valid profiles", () => {
  // external-ca and prod-airgap extend prod.yaml: their whole chain loads in the render and consumer suites
  it.each(["dev", "prod", "external-etcd", "ingress", "coreos"])("profiles/%s.yaml loads without diagnostics", (name) => {
    const { profile, diagnostics } = load(readFileSync(`${REPO}profiles/${name}.yaml`, "utf8"), `profiles/${name}.yaml`);
    expect(summary(diagnostics)).toEqual([]);
    expect(profile?.metadata.name).toBe(name);
  });

  it("dev is 1 control plane + 1 worker on the newest v1.31 patch", () => {
    const { profile } = load(readFileSync(`${REPO}profiles/dev.yaml`, "utf8"));
    expect(profile?.spec.nodes.map((n) => n.role)).toEqual(["control-plane", "worker"]);
    expect(profile?.spec.kubernetes.version).toBe("v1.31.14");
    expect(profile?.spec.network).toMatchObject({ cidr: "192.168.1.0/24", interface: "eth1" });
  });

  it("prod is 3 control planes behind a VIP and a DNS name + 3 workers, bootstrap-token workers", () => {
    const { profile } = load(readFileSync(`${REPO}profiles/prod.yaml`, "utf8"));
    const roles = profile?.spec.nodes.map((n) => n.role);
    expect(roles?.filter((r) => r === "control-plane")).toHaveLength(3);
    expect(roles?.filter((r) => r === "worker")).toHaveLength(3);
    expect(profile?.spec.controlPlane?.endpoint).toEqual({ host: "k8s-api.prod.internal", vip: "192.168.1.10", port: 8443 });
    expect(profile?.spec.network).toMatchObject({ cidr: "192.168.1.0/24", interface: "eth1", vlan: 100 });
    expect(profile?.spec.admin).toMatchObject({ name: "administrator", uid: 1000, gid: 1000 });
    expect(profile?.spec.users).toEqual([{ name: "developer", groups: ["developers"] }]);
    expect(profile?.spec.pki?.workerKubelet).toBeUndefined();
  });

  it.each(["dev", "prod", "external-ca", "external-etcd", "ingress", "coreos", "prod-airgap"])("profiles/%s.yaml starts with the yaml-language-server schema line", (name) => {
    const first = readFileSync(`${REPO}profiles/${name}.yaml`, "utf8").split("\n")[0];
    expect(first).toBe("# yaml-language-server: $schema=../schemas/profile.schema.json");
  });

  it("the fixture is valid", () => {
    const { profile, diagnostics } = load(VALID);
    expect(summary(diagnostics)).toEqual([]);
    expect(profile?.spec.nodes).toHaveLength(4);
  });
});

describe("every problem at once", () => {
  it("reports syntax-free problems from the schema and from the rules together", () => {
    const text = variant([
      ["    interface: eth1", "    interfce: eth1"],
      ["      address: 192.168.1.11", "      address: 10.0.0.300"],
      ["    - name: cp-3", "    - name: cp-2"],
      ["      address: 192.168.1.21", "      address: 192.168.2.21"],
      ["    uid: 1000", "    uid: 99"],
      ["    version: v1.33.5", "    version: v1.33.99"],
      ["    keyAlgorithm: ecdsa-p256", "    keyAlgorithm: ecdsa-p384"],
    ]);
    const { profile, diagnostics } = load(text);
    expect(profile).toBeUndefined();
    expect(summary(diagnostics)).toEqual([
      "address-outside-network spec.nodes[3].address 35",
      "duplicate-node-name spec.nodes[2].name 30",
      "invalid-value spec.nodes[0].address 25",
      "key-algorithm-unsupported spec.pki.keyAlgorithm 45",
      "out-of-range spec.admin.uid 40",
      "unknown-key spec.network.interfce 13",
      "unsupported-version spec.kubernetes.version 8",
    ]);
  });

  it("every diagnostic has a code, a message, a hint or none, and a location with the source line", () => {
    const text = variant([["    vlan: 100", "    vlan: 0"], ["    gid: 1000", "    gid: abc"]]);
    const { diagnostics } = load(text);
    expect(diagnostics).toHaveLength(2);
    for (const d of diagnostics) {
      expect(d.code).toMatch(/^[a-z-]+$/);
      expect(d.message.length).toBeGreaterThan(5);
      expect(d.loc?.file).toBe("profile.yaml");
      expect(d.loc?.text).toBe(text.split("\n")[(d.loc?.line ?? 0) - 1]);
      expect(d.loc?.col).toBe((d.loc?.text?.indexOf(": ") ?? 0) + 3); // the value, after "key: "
    }
  });

  it("warnings alone keep the profile", () => {
    const { profile, diagnostics } = load(variant([["      role: worker", "      role: control-plane"]]));
    expect(summary(diagnostics)).toEqual(["warning:even-control-planes spec.nodes 22"]);
    expect(hasErrors(diagnostics)).toBe(false);
    expect(profile).toBeDefined();
  });
});
