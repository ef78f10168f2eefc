import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderSshdDropIn, SSHD_ROWS } from "../../../generator/render/host/sshd.js";
import { DEV, HA, run, tempFiles } from "./topologies.js";

/** Debian 12's /etc/ssh/sshd_config (comments dropped), with our drop-in directory and a temp host key. */
const debianConfig = (dir: string) =>
  [
    `Include ${dir}/sshd_config.d/*.conf`,
    `HostKey ${dir}/host_ed25519`,
    "KbdInteractiveAuthentication no",
    "UsePAM yes",
    "X11Forwarding yes",
    "PrintMotd no",
    "AcceptEnv LANG LC_*",
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    "",
  ].join("\n");

/** A temp sshd setup holding `dropIn`; returns the main config's path. */
function setup(dropIn: string): string {
  const dir = tempFiles({});
  mkdirSync(join(dir, "sshd_config.d"));
  writeFileSync(join(dir, "sshd_config.d/10-kubeseed.conf"), dropIn);
  writeFileSync(join(dir, "sshd_config"), debianConfig(dir));
  const key = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_ed25519")], "openssh-client");
  expect(key.status, key.out).toBe(0);
  return join(dir, "sshd_config");
}

/** `sshd -T` as a keyword → values map (lowercase keywords, as sshd prints them). */
function effective(config: string): Map<string, string[]> {
  const r = run("sshd", ["-T", "-f", config], "openssh-server");
  expect(r.status, r.out).toBe(0);
  const m = new Map<string, string[]>();
  for (const line of r.out.trim().split("\n")) {
    const [k, ...v] = line.split(" ");
    m.set(k, [...(m.get(k) ?? []), v.join(" ")]);
  }
  return m;
}

const levels = [
  ["relaxed", DEV],
  ["strict", HA],
] as const;

beforeAll(() => mkdirSync("/run/sshd", { recursive: true }));

describe("renderSshdDropIn", () => {
  it.each(levels)("%s: golden file", async (level, m) => {
    expect(m.host.sshHardening).toBe(level);
    await expect(renderSshdDropIn(m)).toMatchFileSnapshot(`golden/10-kubeseed.conf.${level}`);
  });

  it.each(levels)("%s: the real sshd accepts it behind Debian's sshd_config (sshd -t)", (_, m) => {
    const r = run("sshd", ["-t", "-f", setup(renderSshdDropIn(m))], "openssh-server");
    expect(r.status, r.out).toBe(0);
  });

  it.each(levels)("%s: sshd -T shows seed 000's requirements in effect, over Debian's own values", (_, m) => {
    const e = effective(setup(renderSshdDropIn(m)));
    expect(e.get("passwordauthentication")).toEqual(["no"]);
    expect(e.get("kbdinteractiveauthentication")).toEqual(["no"]);
    expect(e.get("permitrootlogin")).toEqual(["no"]);
    expect(e.get("allowtcpforwarding")).toEqual(["yes"]);
    expect(e.get("gatewayports")).toEqual(["no"]);
    expect(e.get("x11forwarding")).toEqual(["no"]); // Debian's sshd_config says yes, after the Include
    expect(e.get("allowagentforwarding")).toEqual(["no"]);
    expect(e.get("permittunnel")).toEqual(["no"]);
    expect(e.get("authenticationmethods")).toEqual(["publickey"]);
  });

  it("strict: seed 000's algorithms, IPv4 only, the ed25519 host key", () => {
    const e = effective(setup(renderSshdDropIn(HA)));
    expect(e.get("kexalgorithms")).toEqual(["curve25519-sha256"]);
    expect(e.get("ciphers")).toEqual(["chacha20-poly1305@openssh.com,aes256-gcm@openssh.com"]);
    expect(e.get("macs")).toEqual(["hmac-sha2-512-etm@openssh.com"]);
    expect(e.get("hostkeyalgorithms")).toEqual(["ssh-ed25519-cert-v01@openssh.com,ssh-ed25519"]);
    expect(e.get("pubkeyacceptedalgorithms")).toEqual(["ssh-ed25519-cert-v01@openssh.com,ssh-ed25519"]);
    expect(e.get("addressfamily")).toEqual(["inet"]);
    expect(e.get("hostkey")?.[0]).toBe("/etc/ssh/ssh_host_ed25519_key");
    expect(e.get("loglevel")).toEqual(["VERBOSE"]);
  });

  it("relaxed: the distribution's algorithms and address families", () => {
    const e = effective(setup(renderSshdDropIn(DEV)));
    expect(e.get("kexalgorithms")?.[0]).toContain("curve25519-sha256,");
    expect(e.get("addressfamily")).toEqual(["any"]);
    const text = renderSshdDropIn(DEV);
    for (const k of ["KexAlgorithms", "Ciphers", "MACs", "HostKey", "AddressFamily"]) expect(text).not.toMatch(new RegExp(`^${k} `, "m"));
  });

  it("the check can fail: sshd -t rejects a broken drop-in", () => {
    const r = run("sshd", ["-t", "-f", setup(`${renderSshdDropIn(HA)}PermitRootLogin sometimes\n`)], "openssh-server");
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/sometimes/);
  });

  it("each keyword appears once and every strict row's keyword is known to sshd -T", () => {
    const keywords = SSHD_ROWS.map((r) => r.keyword);
    expect(new Set(keywords).size).toBe(keywords.length);
    const e = effective(setup(renderSshdDropIn(HA)));
    for (const k of keywords) expect(e.has(k.toLowerCase()), k).toBe(true);
  });
});
