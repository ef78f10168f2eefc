/**
 * Ignition configs proven by the real Ignition (Debian's `ignition` package, 2.14.0):
 * - every 3.3.0 config passes `ignition-validate` with an empty report;
 * - 3.4.0 configs (which 2.14 cannot read) pass the official 3.4 JSON schema (test/fixtures/ignition)
 *   and hold no key the schema does not know;
 * - the real Ignition binary applies each node's config to a root that holds what the OS image holds when
 *   Ignition runs (test/helpers/ignition.ts OS_STATE: Fedora CoreOS's base config, which creates `core`
 *   in the same run, merged by Ignition itself; Flatcar's core 500:500), stages fetch + files, platform
 *   `file`, and the resulting tree is compared with the node's planned tree (nodes/NODE/files): every
 *   path, content, mode and owner, the enabled units, the admin in /etc/passwd and /etc/group, its SSH
 *   key, the OS's own core user — and nothing else but the documented Ignition-only files;
 * - the admin at uid 1000 on Fedora CoreOS makes the real Ignition fail the boot (core takes 1000
 *   first), which the profile rule admin-id-taken refuses beforehand; Flatcar takes 1000.
 * Remote files (the Kubernetes downloads) cannot be fetched here: the applied variant leaves them out,
 * and the test asserts that what it left out is exactly the node's download list with the lock's hashes.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { beforeAll, describe, expect, it } from "vitest";
import type { Generated } from "../../generator/bundle/generate.js";
import { kubernetesDownloads } from "../../generator/render/ignition/downloads.js";
import { isIgnitionOs, type IgnitionOs } from "../../generator/render/ignition/os.js";
import type { ProfileInput } from "../../generator/profile/schema.js";
import { stringify } from "yaml";
import { loadProfile } from "../../generator/profile/index.js";
import {
  applyIgnition,
  IgnitionFailed,
  coreosExample,
  coreosLock,
  decodeContents,
  generateWithLock,
  hasIgnition,
  ignitionOf,
  ignitionValidate,
  withoutRemote,
  type IgnitionConfig,
} from "../helpers/ignition.js";
import { REPO_ROOT } from "../helpers/generate.js";

const SCHEMA = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/ignition/ignition-3.4.0.schema.json"), "utf8"));

/** Variants beside the example: Flatcar without a VLAN, a firewall, a password, no public NIC, an image with the programs. */
function variants(): [string, ProfileInput][] {
  const flatcar = coreosExample();
  flatcar.spec.host = { ...flatcar.spec.host, os: "flatcar", firewall: "nftables" };
  delete flatcar.spec.network.vlan;
  flatcar.spec.network.gateway = "192.168.1.1";
  flatcar.spec.network.publicInterface = "none";
  const fcos = coreosExample();
  fcos.spec.admin.passwordHash = "$6$rounds=4096$salt$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";
  fcos.spec.host = { ...fcos.spec.host, kubernetesPackages: "preinstalled" };
  return [
    ["coreos", coreosExample()],
    ["flatcar-firewall-private-only", flatcar],
    ["fcos-password-preinstalled", fcos],
  ];
}

const generated = new Map<string, Generated>();
let v34: Generated;

beforeAll(async () => {
  for (const [name, p] of variants()) generated.set(name, await generateWithLock(p));
  const p = coreosExample();
  p.spec.host = { ...p.spec.host, ignitionVersion: "3.4.0" };
  v34 = await generateWithLock(p);
});

function configs(g: Generated): [string, IgnitionOs, IgnitionConfig][] {
  return g.plan.nodes.map((n) => {
    if (!isIgnitionOs(n.node.os)) throw new Error(`${n.node.name} is not an Ignition node`);
    return [n.node.name, n.node.os, ignitionOf(g, n.node.name)];
  });
}

/** Regular files under root, relative, with mode and owner. */
function tree(root: string, dir = ""): Map<string, { mode: number; uid: number; gid: number }> {
  const out = new Map<string, { mode: number; uid: number; gid: number }>();
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) for (const [k, v] of tree(root, rel)) out.set(k, v);
    else {
      const s = lstatSync(join(root, rel));
      out.set(rel, { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid });
    }
  }
  return out;
}

/** What the test root holds before Ignition runs, and Ignition's own bookkeeping: not node files. */
const BOOKKEEPING = /^\/etc\/(passwd|group|shadow|gshadow)-?$|^\/etc\/\.pwd\.lock$|^\/etc\/selinux\/config$|^\/etc\/login\.defs$|^\/etc\/\.ignition-result\.json$/;

// skips only where Debian's ignition package is missing and CI is unset (CI installs it, so there it fails)
describe.skipIf(!hasIgnition() && !process.env.CI)("Ignition configs under the real Ignition 2.14 (skips only without the ignition package outside CI)", () => {
  it("every 3.3.0 config passes ignition-validate with an empty report", () => {
    for (const [variant, g] of generated) {
      for (const [node, , cfg] of configs(g)) {
        expect(cfg.ignition.version, `${variant}/${node}`).toBe("3.3.0");
        const r = ignitionValidate(JSON.stringify(cfg));
        expect(r, `${variant}/${node}`).toEqual({ code: 0, out: "" });
      }
    }
  });

  it("3.4.0 configs pass the official 3.4 JSON schema and use no unknown key; ignition-validate 2.14 rejects 3.4.0 (why the schema is used)", () => {
    // a CommonJS module: its class is module.exports.default
    const validate = new AjvDraft04.default({ allErrors: true, strict: false }).compile(SCHEMA);
    for (const [node, , cfg] of configs(v34)) {
      expect(cfg.ignition.version).toBe("3.4.0");
      expect(validate(cfg) ? [] : validate.errors, node).toEqual([]);
      expect(unknownKeys(cfg, SCHEMA, SCHEMA), node).toEqual([]);
    }
    expect(ignitionValidate(JSON.stringify(configs(v34)[0][2])).out).toMatch(/unsupported config version/);
  });

  it("the schema catches a file without a path, and the unknown-key check a typo the schema lets through", () => {
    const validate = new AjvDraft04.default({ allErrors: true, strict: false }).compile(SCHEMA);
    const cfg = configs(v34)[0][2] as unknown as Record<string, unknown>;
    expect(validate({ ...cfg, storage: { files: [{ mode: 420 }] } })).toBe(false);
    const bad = { ...cfg, storage: { files: [{ path: "/x", mdoe: 420 }] } };
    expect(validate(bad)).toBe(true);
    expect(unknownKeys(bad, SCHEMA, SCHEMA)).toEqual(["$.storage.files[0].mdoe"]);
  });

  it("the real Ignition writes exactly the planned tree, the units, the users and the OS-only files", () => {
    for (const [variant, g] of generated) {
      for (const [node, os, cfg] of configs(g)) {
        const where = `${variant}/${node}`;
        const plan = g.plan.nodes.find((n) => n.node.name === node)!;
        const { config, remote } = withoutRemote(cfg);
        // the remote entries are exactly the node's downloads, with the lock's hashes
        const lock = coreosLock();
        const downloads = kubernetesDownloads(g.model, plan.node);
        const byPath = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
        expect(remote.map((f) => [f.path, f.mode, f.contents.source, f.contents.verification?.hash]).sort(byPath), where).toEqual(
          downloads.map((d) => [d.path, d.mode, d.url, `sha256-${lock.files[d.url].sha256}`]).sort(byPath),
        );
        // the image's own files that the node replaces (overwrite: true)
        const seed = { "etc/hosts": "127.0.0.1 localhost\n", "etc/hostname": "localhost\n", "etc/containerd/config.toml": 'disabled_plugins = ["cri"]\n' };
        const { root, log } = applyIgnition(config, os, seed);
        expect(log, where).toMatch(/Ignition finished successfully/);
        const found = tree(root);
        const expected = new Set<string>();
        // 1. every planned file, byte for byte, with its mode and root ownership
        for (const f of plan.files) {
          const artifact = g.bundle.artifacts.find((a) => a.path === `nodes/${node}/files${f.path}`)!;
          expect(readFileSync(join(root, f.path), "utf8"), `${where} ${f.path}`).toBe(artifact.contents);
          expect(found.get(f.path), `${where} ${f.path}`).toEqual({ mode: f.mode, uid: 0, gid: 0 });
          expected.add(f.path);
        }
        // 2. the OS-only files and units the config adds, as the config says
        for (const f of config.storage.files) {
          if (plan.files.some((p) => p.path === f.path)) continue;
          expect(readFileSync(join(root, f.path), "utf8"), `${where} ${f.path}`).toBe(decodeContents(f.contents));
          expect(found.get(f.path)?.mode, `${where} ${f.path}`).toBe(f.mode);
          expected.add(f.path);
        }
        for (const u of config.systemd.units) {
          if (u.contents !== undefined) {
            expect(readFileSync(join(root, "etc/systemd/system", u.name), "utf8")).toBe(u.contents);
            expected.add(`/etc/systemd/system/${u.name}`);
          }
          for (const d of u.dropins ?? []) expected.add(`/etc/systemd/system/${u.name}.d/${d.name}`);
        }
        expect(readFileSync(join(root, "etc/hostname"), "utf8")).toBe(`${node}\n`);
        // 3. enabled units: the bootstrap (and firewall) as cloud-init enables them, containerd, the kubelet
        const preset = readFileSync(join(root, "etc/systemd/system-preset/20-ignition.preset"), "utf8");
        expect(preset.trim().split("\n").sort(), where).toEqual(config.systemd.units.filter((u) => u.enabled).map((u) => `enable ${u.name}`).sort());
        expect(preset, where).toContain("enable kubeseed-bootstrap.service");
        expected.add("/etc/systemd/system-preset/20-ignition.preset");
        // 4. the admin: uid, primary group with the profile's gid, admin groups, key, locked or hashed password
        const a = g.model.admin;
        const passwd = readFileSync(join(root, "etc/passwd"), "utf8");
        expect(passwd, where).toContain(`${a.name}:x:${a.uid}:${a.gid}::/home/${a.name}:/bin/bash\n`);
        const group = readFileSync(join(root, "etc/group"), "utf8");
        expect(group, where).toMatch(new RegExp(`^${a.name}:[^:]*:${a.gid}:`, "m"));
        expect(group, where).toMatch(new RegExp(`^wheel:.*[:,]${a.name}$`, "m"));
        expect(/^sudo:.*[:,]administrator$/m.test(group), where).toBe(a.passwordHash === undefined);
        const shadow = readFileSync(join(root, "etc/shadow"), "utf8");
        // without a hash Ignition writes "*": no password can match (cloud-init's lock_passwd)
        expect(shadow, where).toContain(`${a.name}:${a.passwordHash ?? "*"}:`);
        const keys = `/home/${a.name}/.ssh/authorized_keys.d/ignition`;
        expect(readFileSync(join(root, keys), "utf8"), where).toContain(a.sshKeys[0]);
        expect(found.get(keys), where).toEqual({ mode: 0o600, uid: a.uid, gid: a.gid });
        expected.add(keys);
        // the OS's own core user is there as the OS makes it: Fedora CoreOS's base config creates it in
        // this very run with the first free uid (1000), Flatcar ships it as 500
        const core = os === "fedora-coreos" ? "core:x:1000:1000:CoreOS Admin:/home/core:/bin/bash" : "core:x:500:500:Flatcar Admin:/home/core:/bin/bash";
        expect(passwd.split("\n"), where).toContain(core);
        // 5. nothing else
        const extra = [...found.keys()].filter((p) => !expected.has(p) && !BOOKKEEPING.test(p));
        expect(extra, where).toEqual([]);
        expect(statSync(join(root, "home", a.name)).uid).toBe(a.uid);
      }
    }
  });
});

describe.skipIf(!hasIgnition() && !process.env.CI)("the admin's ids against the OS's own accounts, under the real Ignition", () => {
  it("Fedora CoreOS: an admin at uid 1000 — core's uid — makes the real Ignition fail the boot; kubeseed refuses such a profile first", async () => {
    const p = coreosExample();
    const g = await generateWithLock(p);
    const cfg = withoutRemote(ignitionOf(g, "fcos-worker-1")).config;
    const users = cfg.passwd.users.map((u) => ({ ...u, uid: 1000 }));
    let failure: unknown;
    try {
      applyIgnition({ ...cfg, passwd: { groups: cfg.passwd.groups.map((gr) => ({ ...gr, gid: 1000 })), users } }, "fedora-coreos");
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(IgnitionFailed);
    const log = (failure as IgnitionFailed).log;
    // groups first (the admin's takes gid 1000), then users in merged order: core (base config) takes uid 1000
    expect(log).toMatch(/"groupadd" .*"--gid" "1000" .*"administrator"/);
    expect(log).toMatch(/"useradd" "--root" \S+ "--create-home" "--password" "\*" "--comment" "CoreOS Admin" .*"core"/);
    expect(log).toMatch(/UID 1000 is not unique/);
    expect(log).toMatch(/CRITICAL : Ignition failed: failed to create users\/groups/);
    // the profile that would render it is refused with a hint
    p.spec.admin = { ...p.spec.admin, uid: 1000, gid: 1000 };
    const { diagnostics } = loadProfile([{ file: "coreos.yaml", text: stringify(p) }]);
    expect(diagnostics.map((d) => `${d.code} ${d.path.join(".")}`)).toEqual(["admin-id-taken spec.admin.uid"]);
  });

  it("Flatcar: the admin at uid/gid 1000 is fine beside core 500:500", async () => {
    const p = coreosExample();
    p.spec.host = { ...p.spec.host, os: "flatcar" };
    p.spec.admin = { ...p.spec.admin, uid: 1000, gid: 1000 };
    const g = await generateWithLock(p);
    const { root, log } = applyIgnition(withoutRemote(ignitionOf(g, "fcos-worker-1")).config, "flatcar");
    expect(log).toMatch(/Ignition finished successfully/);
    const passwd = readFileSync(join(root, "etc/passwd"), "utf8");
    expect(passwd).toContain("core:x:500:500:");
    expect(passwd).toContain("administrator:x:1000:1000::/home/administrator:/bin/bash");
  });
});

/** Paths of keys the schema does not define (it has no additionalProperties). */
function unknownKeys(value: unknown, schema: Record<string, unknown>, root: Record<string, unknown>, at = "$"): string[] {
  const deref = (s: Record<string, unknown>): Record<string, unknown> =>
    s.$ref ? deref(String(s.$ref).slice(2).split("/").reduce((o, k) => (o as Record<string, unknown>)[k], root as unknown) as Record<string, unknown>) : s;
  const resolved = deref(schema);
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, (resolved.items ?? {}) as Record<string, unknown>, root, `${at}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const parts = [resolved, ...((resolved.allOf ?? []) as Record<string, unknown>[]).map(deref)];
  const known: Record<string, Record<string, unknown>> = Object.assign({}, ...parts.map((p) => (p.properties ?? {}) as object));
  return Object.entries(value).flatMap(([k, v]) => (k in known ? unknownKeys(v, known[k], root, `${at}.${k}`) : [`${at}.${k}`]));
}
