import { describe, expect, it } from "vitest";
import { KERNEL_MODULES, renderKernelModules, renderSysctl, SYSCTLS } from "../../../generator/render/host/kernel.js";

const settings = (text: string) => text.split("\n").filter((l) => l && !l.startsWith("#"));

/** The modules kubeadm's preflight and containerd need; a typo in the table fails here. */
const KNOWN_MODULES = new Set(["overlay", "br_netfilter"]);
/** Sysctls that exist on a Debian 12 kernel once br_netfilter is loaded. */
const KNOWN_SYSCTLS = new Set(["net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables", "net.ipv4.ip_forward"]);

describe("kernel settings", () => {
  it("renders modules-load.d and sysctl.d (golden files)", async () => {
    await expect(renderKernelModules()).toMatchFileSnapshot("golden/modules-load.kubernetes.conf");
    await expect(renderSysctl()).toMatchFileSnapshot("golden/sysctl.90-kubernetes.conf");
  });

  it("loads overlay and br_netfilter, one known module name per line", () => {
    const lines = settings(renderKernelModules());
    expect(lines).toEqual(["overlay", "br_netfilter"]);
    for (const l of lines) expect(KNOWN_MODULES.has(l), l).toBe(true);
    expect(KERNEL_MODULES.map((m) => m.name)).toEqual(lines);
  });

  it("sets the bridge and forwarding sysctls, each line `key = value`", () => {
    const lines = settings(renderSysctl());
    for (const l of lines) expect(l).toMatch(/^[a-z0-9_.-]+ = \S+$/);
    const parsed = Object.fromEntries(lines.map((l) => l.split(" = ")));
    expect(parsed).toEqual({
      "net.bridge.bridge-nf-call-iptables": "1",
      "net.bridge.bridge-nf-call-ip6tables": "1",
      "net.ipv4.ip_forward": "1",
    });
    for (const s of SYSCTLS) expect(KNOWN_SYSCTLS.has(s.key), s.key).toBe(true);
  });
});
