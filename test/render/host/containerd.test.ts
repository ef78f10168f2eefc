import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderContainerdConfig, renderCrictlConfig, sandboxImage } from "../../../generator/render/host/containerd.js";
import { DEV, HA, on, run, tempFiles } from "./topologies.js";

/** `containerd config dump` of a config text: the fully merged configuration containerd would run with. */
const dump = (text: string) => run("containerd", ["--config", join(tempFiles({ "config.toml": text }), "config.toml"), "config", "dump"], "containerd");

const topologies = [
  ["dev", DEV, "registry.k8s.io/pause:3.10.1"],
  ["ha", HA, "registry.k8s.io/pause:3.10"],
] as const;

describe("renderContainerdConfig", () => {
  it.each(topologies)("%s: golden file", async (name, m) => {
    await expect(renderContainerdConfig(on(m, m.nodes[0].name))).toMatchFileSnapshot(`golden/containerd.${name}.config.toml`);
  });

  it.each(topologies)("%s: the pause image of the model's Kubernetes version", (_, m, image) => {
    expect(sandboxImage(on(m, "cp-1"))).toBe(image);
  });

  it.each(topologies)("%s: the real containerd reads it: systemd cgroups, the sandbox image, certs.d, CNI under /opt", (_, m, image) => {
    const r = dump(renderContainerdConfig(on(m, "cp-1")));
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/^version = 2$/m);
    expect(r.out).toMatch(/^\s*SystemdCgroup = true$/m);
    expect(r.out).toMatch(new RegExp(`^\\s*sandbox_image = "${image.replace(/\./g, "\\.")}"$`, "m"));
    expect(r.out).toMatch(/^\s*config_path = "\/etc\/containerd\/certs\.d"$/m);
    expect(r.out).toMatch(/^\s*bin_dir = "\/opt\/cni\/bin"$/m);
    expect(r.out).toMatch(/^\s*default_runtime_name = "runc"$/m);
  });

  it("the check can fail: containerd's defaults differ, and a syntax error is refused", () => {
    const defaults = dump("version = 2\n");
    expect(defaults.status, defaults.out).toBe(0);
    expect(defaults.out).not.toMatch(/SystemdCgroup = true/);
    expect(defaults.out).not.toMatch(/config_path = "\/etc\/containerd\/certs\.d"/);
    const broken = dump(renderContainerdConfig(on(HA, "cp-1")).replace("[plugins.", "[plugins"));
    expect(broken.status).not.toBe(0);
    expect(broken.out).toMatch(/TOML/);
  });
});

describe("renderCrictlConfig", () => {
  it("points crictl at containerd's socket", async () => {
    const text = renderCrictlConfig();
    await expect(text).toMatchFileSnapshot("golden/crictl.yaml");
    expect(parse(text)).toEqual({
      "runtime-endpoint": "unix:///run/containerd/containerd.sock",
      "image-endpoint": "unix:///run/containerd/containerd.sock",
      timeout: 10,
    });
  });
});
