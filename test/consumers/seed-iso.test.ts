/**
 * The NoCloud seed ISO (nodes/NODE/seed.iso, written by kubeseed's own ISO 9660 builder) read by the
 * real tools: isoinfo (cdrkit) sees volume id cidata, Rock Ridge and Joliet; its three listings name
 * the files exactly as cloud-localds's image of the same files does; xorriso (libisofs) finds and
 * extracts them byte for byte; isovfy finds no error; blkid reports LABEL="cidata" TYPE="iso9660";
 * Debian's Linux kernel, booted in a QEMU VM (scripts/iso-kernel.sh), mounts it as a disk (a USB stick
 * written with dd) and as a CD-ROM and reads the Rock Ridge names, modes and bytes; a loop mount by
 * this machine's own kernel runs where it has iso9660. Same profile and secrets give the same bytes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { artifactBytes } from "../../generator/bundle/artifact.js";
import type { Generated } from "../../generator/bundle/generate.js";
import { withSeedIsos } from "../../generator/bundle/seed-iso.js";
import { exampleProfile, generate, REPO_ROOT, writeToTemp } from "../helpers/generate.js";
import { isoinfoListing, isoinfoSummary, xorrisoExtract, xorrisoFind } from "./support/iso.js";
import { run } from "./support/proc.js";

const DOCS = ["meta-data", "network-config", "user-data"];
let g: Generated;
let out = "";
let nodes: string[] = [];
const seed = (node: string) => join(out, "nodes", node, "seed.iso");
const doc = (node: string, name: string) => join(out, "nodes", node, "cloud-init", name);

/** cloud-localds's image of the node's own three files: the reference the listings are compared with */
function cloudLocalds(node: string): string {
  const iso = join(mkdtempSync(join(tmpdir(), "ks-localds-")), "seed.iso");
  execFileSync("cloud-localds", ["-N", doc(node, "network-config"), iso, doc(node, "user-data"), doc(node, "meta-data")], { stdio: "pipe" });
  return iso;
}

beforeAll(async () => {
  g = await generate(exampleProfile("prod"));
  out = await writeToTemp({ ...g, bundle: withSeedIsos(g.bundle) }, "ks-seed-");
  nodes = g.bundle.artifacts.filter((a) => a.path.endsWith("/cloud-init/user-data")).map((a) => a.path.split("/")[1]);
});

describe("nodes/NODE/seed.iso under the real ISO 9660 tools", () => {
  it("is written for every cloud-init node, mode 0600", () => {
    expect(nodes.length).toBeGreaterThan(1);
    for (const node of nodes) expect(statSync(seed(node)).mode & 0o777, node).toBe(0o600);
  });

  it("isoinfo -d: volume id cidata, Joliet UCS level 3, Rock Ridge, and a volume size equal to the file size", () => {
    for (const node of nodes) {
      const d = isoinfoSummary(seed(node));
      expect(d).toMatch(/^Volume id: cidata$/m);
      expect(d).toMatch(/^Logical block size is: 2048$/m);
      expect(d).toMatch(/^Joliet with UCS level 3 found$/m);
      expect(d).toMatch(/^Rock Ridge signatures version 1 found$/m);
      expect(Number(/^Volume size is: (\d+)$/m.exec(d)![1]) * 2048).toBe(statSync(seed(node)).size);
    }
  });

  it("isoinfo -l, -J -l and -R -l name and size the files as cloud-localds's image of the same files", () => {
    for (const node of nodes.slice(0, 2)) {
      const reference = cloudLocalds(node);
      for (const ns of ["primary", "joliet", "rock-ridge"] as const) {
        const strip = (iso: string) => isoinfoListing(iso, ns).map(({ name, size }) => ({ name, size }));
        expect(strip(seed(node)), `${node} ${ns}`).toEqual(strip(reference));
      }
      expect(isoinfoListing(seed(node), "primary").map((f) => f.name)).toEqual(["META_DAT.;1", "NETWORK_.;1", "USER_DAT.;1"]);
      expect(isoinfoListing(seed(node), "joliet").map((f) => f.name)).toEqual(DOCS);
    }
  });

  it("carries the documents' modes in Rock Ridge: user-data 0600 (it holds keys), the others 0644", () => {
    const modes = Object.fromEntries(isoinfoListing(seed(nodes[0]), "rock-ridge").map((f) => [f.name, f.mode]));
    expect(modes).toEqual({ "meta-data": "-rw-r--r--", "network-config": "-rw-r--r--", "user-data": "-rw-------" });
  });

  it("xorriso finds the three files by their Rock Ridge names and extracts them byte for byte", () => {
    for (const node of nodes) {
      expect(xorrisoFind(seed(node)), node).toEqual(DOCS.map((d) => `/${d}`));
      const dir = xorrisoExtract(seed(node));
      expect(readdirSync(dir).sort()).toEqual(DOCS);
      for (const name of DOCS) expect(readFileSync(join(dir, name)).equals(readFileSync(doc(node, name))), `${node} ${name}`).toBe(true);
    }
  });

  it("isovfy (cdrkit's ISO 9660 verifier) finds no error", () => {
    const r = run("isovfy", [seed(nodes[0])]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/No errors found/);
  });

  it('blkid reports LABEL="cidata" TYPE="iso9660", as cloud-init\'s ds-identify needs', () => {
    for (const node of nodes) {
      const r = run("blkid", ["-p", seed(node)]);
      expect(r.out, node).toMatch(/ LABEL="cidata" /);
      expect(r.out, node).toMatch(/ TYPE="iso9660" /);
    }
  });

  it("is byte-identical when regenerated from the same profile and secrets", async () => {
    const again = withSeedIsos((await generate(exampleProfile("prod"), g.issue.secrets)).bundle);
    for (const node of nodes) {
      const a = again.artifacts.find((x) => x.path === `nodes/${node}/seed.iso`)!;
      expect(Buffer.from(artifactBytes(a)).equals(readFileSync(seed(node))), node).toBe(true);
    }
  });

  const qemu = !spawnSync("qemu-system-x86_64", ["--version"]).error;
  it.skipIf(!qemu && !process.env.CI)("is read by Debian's kernel in a VM, as a disk (a dd'ed USB stick) and as a CD-ROM: Rock Ridge names, modes, bytes (skips only without qemu outside CI)", () => {
    const kernel = execFileSync("bash", [resolve(REPO_ROOT, "scripts/iso-kernel.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    const iso = seed(nodes[0]);
    const vm = run(
      "qemu-system-x86_64",
      ["-machine", "accel=tcg", "-cpu", "max", "-m", "256", "-nographic", "-no-reboot", "-kernel", join(kernel, "vmlinuz"), "-initrd", join(kernel, "initrd.gz"),
        "-append", "console=ttyS0 panic=-1 loglevel=3", "-drive", `file=${iso},if=virtio,format=raw,readonly=on`, "-drive", `file=${iso},media=cdrom,readonly=on`],
      { timeoutMs: 150_000 },
    );
    const console = vm.out.replaceAll("\r", "");
    expect(console, console).toMatch(/^=== end$/m);
    const section = (name: string) => console.split(`=== ${name}\n`)[1].split("\n=== ")[0];
    for (const device of ["vda", "sr0"]) {
      const listing = section(device);
      expect(listing, device).toMatch(/^-rw------- +1 0 +0 +\d+ .* user-data$/m);
      expect(listing, device).toMatch(/^-rw-r--r-- +1 0 +0 +\d+ .* meta-data$/m);
      for (const name of DOCS) expect(listing, `${device} ${name}`).toContain(`${createHash("sha256").update(readFileSync(doc(nodes[0], name))).digest("hex")}  ${name}`);
    }
    expect(section("kernel")).toMatch(/ISO 9660 Extensions: RRIP_1991A/);
    expect(section("kernel")).toMatch(/ISO 9660 Extensions: Microsoft Joliet Level 3/);
  }, 300_000);

  const kernelIso = existsSync("/proc/filesystems") && readFileSync("/proc/filesystems", "utf8").includes("iso9660") && process.getuid?.() === 0;
  // skips where the running kernel has no iso9660 driver (this CI machine's); the QEMU test above covers the same ground
  it.skipIf(!kernelIso)("is mounted by the Linux kernel (loop device, read-only), which reads the Rock Ridge names and modes (skips where the kernel has no iso9660 driver)", () => {
    const mnt = mkdtempSync(join(tmpdir(), "ks-mnt-"));
    mkdirSync(mnt, { recursive: true });
    const mounted = run("mount", ["-o", "ro,loop", "-t", "iso9660", seed(nodes[0]), mnt]);
    expect(mounted.status, mounted.out).toBe(0);
    try {
      expect(readdirSync(mnt).sort()).toEqual(DOCS);
      for (const name of DOCS) expect(readFileSync(join(mnt, name)).equals(readFileSync(doc(nodes[0], name))), name).toBe(true);
      expect(statSync(join(mnt, "user-data")).mode & 0o777).toBe(0o600);
    } finally {
      run("umount", [mnt]);
      rmdirSync(mnt);
    }
  });
});
