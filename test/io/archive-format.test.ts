/**
 * kubeseed's own tar and zip layout (bundle/archive/) and compression (io/archive.ts), read by real
 * programs: GNU tar and gzip, bsdtar (libarchive), unzip and zipinfo. Cases the prod output does not
 * reach: a tar.gz made of many runs (each run deflated apart, joined into one gzip member), paths that
 * need ustar's prefix field or a pax record, a zip of 70,000 entries (zip64 end records), empty files.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, crc32, deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodedBundle, type Artifact } from "../../generator/bundle/artifact.js";
import { APART_MIN, ARCHIVE_LEVEL, ARCHIVE_MEM_LEVEL, archiveBytes, BATCH_APART_MIN, rawJob, TarGzBuilder, ZipBuilder } from "../../generator/io/archive.js";
import { deflateOnThread } from "../../generator/io/deflate-threads.js";

/** Scratch folders, removed after the file's tests (the 70,000-entry zip unpacks to 140 MB). */
const scratches: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), "ks-archive-"));
  scratches.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function saved(bytes: Buffer, name: string): string {
  const file = join(scratch(), name);
  writeFileSync(file, bytes);
  return file;
}

/** Unpacks `file` with `tool` into a new folder and returns it. */
function unpack(file: string, tool: "tar" | "bsdtar" | "unzip"): string {
  const dir = scratch();
  if (tool === "unzip") run("unzip", ["-q", file, "-d", dir]);
  else run(tool, ["-xf", file, "-C", dir]);
  return dir;
}

/** Text of a pseudo-random mix of lines, so deflate has matches to find across runs. */
function text(seed: number, lines: number): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(`line ${i % 50} of node ${x % 7}: ${"kubeseed ".repeat(x % 9)}${x.toString(36)}`);
  }
  return out.join("\n") + "\n";
}

const file = (path: string, contents: string | Uint8Array, mode = 0o644): Artifact => ({ path, mode, contents, sensitive: mode === 0o600 });

/** Batches like a cluster's: a few files per node, some shared by every node, one binary, one empty. */
function batches(nodes: number): Artifact[][] {
  const shared = text(1, 40);
  return Array.from({ length: nodes }, (_, n) => [
    file(`nodes/node-${n}/files/etc/kubernetes/pki/ca.crt`, shared),
    file(`nodes/node-${n}/cloud-init/user-data`, text(n + 2, 400 + n * 13)),
    file(`nodes/node-${n}/files/etc/kubernetes/pki/kubelet.key`, `key of node ${n}\n`, 0o600),
    file(`nodes/node-${n}/seed.iso`, Uint8Array.from({ length: 70_000 }, (_, i) => (i % 2048 < 40 ? (i * 31 + n) & 0xff : 0))),
    file(`nodes/node-${n}/files/etc/empty`, ""),
  ]);
}

const bytesOf = (a: Artifact) => (typeof a.contents === "string" ? Buffer.from(a.contents, "utf8") : Buffer.from(a.contents));

function expectTree(root: string, artifacts: Artifact[]): void {
  for (const a of artifacts) {
    const f = join(root, a.path);
    expect(readFileSync(f).equals(bytesOf(a)), a.path).toBe(true);
    expect(statSync(f).mode & 0o777, a.path).toBe(a.mode);
  }
}

describe("tar.gz made run by run", () => {
  const runs = batches(12);
  const all = runs.flat();
  const make = () => {
    const b = new TarGzBuilder("out/");
    for (const r of runs) b.add(r);
    return b.bytes();
  };

  it("is one gzip member that gzip and both tars read, every file with its bytes and mode, in the order added", async () => {
    const bytes = await make();
    const gz = saved(bytes, "a.tar.gz");
    run("gzip", ["-t", gz]);
    // one member: the whole tar is inflated by a single-member reader too
    expect(gunzipSync(bytes).length % 512).toBe(0);
    for (const tool of ["tar", "bsdtar"] as const) expectTree(join(unpack(gz, tool), "out"), all);
    const listed = run("tar", ["-tzf", gz]).trim().split("\n");
    expect(listed).toEqual(runs.flatMap((r) => r.map((a) => `out/${a.path}`).sort()));
    expect((await make()).equals(bytes)).toBe(true);
    // asking twice gives the same archive (not a second end of archive)
    const b = new TarGzBuilder();
    b.add(runs[0]);
    const [first, second] = [await b.bytes(), await b.bytes()];
    expect(second).toBe(first);
    run("gzip", ["-t", saved(second, "twice.tar.gz")]);
  });

  it("compresses as well as one pass over the same tar (within 1 %): each run starts from the tar before it", async () => {
    // every run begins and ends with the same text, so a run's first file is found in the one before;
    // runs of a node's size made of files under BATCH_APART_MIN (larger ones may be deflated apart: see below)
    const edge = text(99, 50);
    const own = (i: number) => Array.from({ length: 8 }, (_, k) => file(`mid/${i}/${k}`, text(100 + i * 8 + k, 50)));
    const framed = runs.map((r, i) => [file(`aaa/${i}`, edge), ...r.filter((a) => bytesOf(a).length < BATCH_APART_MIN), ...own(i), file(`zzz/${i}`, edge)]);
    for (const a of framed.flat()) expect(bytesOf(a).length).toBeLessThan(BATCH_APART_MIN);
    const b = new TarGzBuilder();
    for (const r of framed) b.add(r);
    const joined = await b.bytes();
    const onePass = gzipSync(gunzipSync(joined), { level: ARCHIVE_LEVEL, memLevel: ARCHIVE_MEM_LEVEL });
    expect(Math.abs(joined.length - onePass.length) / onePass.length).toBeLessThan(0.01);
    // each run compressed on its own repeats that text in every run
    const apart = (await Promise.all(framed.map((r) => archiveBytes(r, "tar.gz")))).reduce((n, x) => n + x.length, 0);
    expect(apart - joined.length).toBeGreaterThan(framed.length * 400);
  });
});

describe("large entries", () => {
  it("are deflated once for the node archive, the tar.gz and the zip that hold the same bytes, which tar, bsdtar and unzip read back", async () => {
    const iso = Uint8Array.from({ length: 3 * APART_MIN }, (_, i) => (i % 2048 < 100 ? (i * 7) & 0xff : 0));
    const batch = [file("n/cloud-init/user-data", text(5, 300)), file("n/seed.iso", iso, 0o600), file("n/z", text(6, 50))];
    const encoded = encodedBundle({ artifacts: batch }).artifacts;
    const tar = new TarGzBuilder("out/");
    const zip = new ZipBuilder("out/");
    tar.add(encoded);
    zip.add(encoded);
    const node = archiveBytes(encoded, "tar.gz", "node/");
    const [tgz, zipped, nodeTgz] = await Promise.all([tar.bytes(), zip.bytes(), node]);
    // the ISO's stream (sync flush, no dictionary) is in each archive as it is, and made once
    const stream = deflateRawSync(iso, { level: ARCHIVE_LEVEL, memLevel: ARCHIVE_MEM_LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
    for (const archive of [tgz, nodeTgz]) expect(archive.indexOf(stream), "tar.gz").toBeGreaterThan(0);
    expect(zipped.indexOf(Buffer.concat([stream, Buffer.of(3, 0)])), "zip").toBeGreaterThan(0);
    for (const [bytes, name, tools] of [[tgz, "a.tar.gz", ["tar", "bsdtar"]], [zipped, "a.zip", ["unzip", "bsdtar"]]] as const) {
      for (const tool of tools) expectTree(join(unpack(saved(bytes, name), tool), "out"), batch);
    }
    expectTree(join(unpack(saved(nodeTgz, "n.tar.gz"), "tar"), "node"), batch);
  });

  it("in a node archive from BATCH_APART_MIN, and a content that holds others (pieces) is deflated around them: each stream made once", async () => {
    const userData = new TextEncoder().encode(text(7, 200));
    expect(userData.length).toBeGreaterThan(BATCH_APART_MIN);
    const zeros = new Uint8Array(APART_MIN);
    // an image like a seed ISO: a zero system area, a few bytes of its own, then the user-data
    const image = new Uint8Array(APART_MIN + 4096 + userData.length);
    image.set(new TextEncoder().encode("descriptor"), APART_MIN + 7);
    image.set(userData, APART_MIN + 4096);
    const pieces = [
      { at: APART_MIN + 4096, bytes: userData },
      { at: 0, bytes: zeros },
    ];
    // a content past the first WINDOW of its batch (after the image)
    const late = new TextEncoder().encode(text(10, 200));
    const batch: Artifact[] = [file("n/cloud-init/user-data", userData, 0o600), { ...file("n/seed.iso", image, 0o600), pieces }, file("n/a", text(8, 20)), file("n/z", late)];
    const sync = (b: Uint8Array) => deflateRawSync(b, { level: ARCHIVE_LEVEL, memLevel: ARCHIVE_MEM_LEVEL, finishFlush: constants.Z_SYNC_FLUSH });
    const count = (hay: Buffer, needle: Buffer) => {
      let n = 0;
      for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) n++;
      return n;
    };
    const [nodeTgz, zipped] = await Promise.all([archiveBytes(batch, "tar.gz", "node/"), archiveBytes(batch, "zip", "out/")]);
    // the user-data's stream: once as the file, once inside the image's; the zero area's inside the image
    for (const archive of [nodeTgz, zipped]) {
      expect(count(archive, sync(userData))).toBe(2);
      expect(count(archive, sync(zeros))).toBe(1);
    }
    expect(nodeTgz.indexOf(Buffer.concat([sync(zeros), sync(image.slice(APART_MIN, APART_MIN + 4096)), sync(userData)]))).toBeGreaterThan(0);
    run("gzip", ["-t", saved(nodeTgz, "n.tar.gz")]);
    for (const tool of ["tar", "bsdtar"] as const) expectTree(join(unpack(saved(nodeTgz, "n.tar.gz"), tool), "node"), batch);
    for (const tool of ["unzip", "bsdtar"] as const) expectTree(join(unpack(saved(zipped, "n.zip"), tool), "out"), batch);
    for (const archive of [nodeTgz, zipped]) expect(count(archive, sync(late))).toBe(1);
    // the whole-output tar.gz keeps APART_MIN in a batch's first WINDOW: the user-data is deflated with
    // the tar before it (the batch before); past it, BATCH_APART_MIN
    const whole = new TarGzBuilder("out/");
    whole.add([file("m/before", text(11, 50))]);
    whole.add(batch);
    const tgz = await whole.bytes();
    expect(count(tgz, sync(userData))).toBe(1);
    expect(count(tgz, sync(late))).toBe(1);
    expectTree(join(unpack(saved(tgz, "w.tar.gz"), "tar"), "out"), batch);
  });

  it("refuses pieces a content does not hold where they are said to be (an internal error, not a wrong archive)", async () => {
    const userData = new TextEncoder().encode(text(9, 200));
    const image = new Uint8Array(APART_MIN + userData.length);
    image.set(userData, APART_MIN);
    for (const pieces of [[{ at: APART_MIN - 1, bytes: userData }], [{ at: APART_MIN, bytes: userData }, { at: APART_MIN + 100, bytes: userData.subarray(100, 100 + BATCH_APART_MIN) }]]) {
      const batch = [{ ...file("iso", image.slice(), 0o600), pieces }];
      for (const format of ["tar.gz", "zip"] as const) await expect(archiveBytes(batch, format)).rejects.toThrow(/internal: a content does not hold its pieces/);
    }
  });

  it("deflates a large content again when its bytes changed since an archive took them", async () => {
    const big = new Uint8Array(2 * APART_MIN).fill(0x41);
    const entry = [file("f", big)];
    await Promise.all([archiveBytes(entry, "tar.gz"), archiveBytes(entry, "zip")]);
    big.fill(0x42);
    const [tgz, zipped] = await Promise.all([archiveBytes(entry, "tar.gz"), archiveBytes(entry, "zip")]);
    run("gzip", ["-t", saved(tgz, "changed.tar.gz")]);
    expectTree(unpack(saved(tgz, "changed.tar.gz"), "tar"), entry);
    expectTree(unpack(saved(zipped, "changed.zip"), "unzip"), entry);
  });
});

describe("tar paths", () => {
  it("stores long paths with ustar's prefix field or a pax record, as GNU tar and bsdtar read them", async () => {
    const longDir = `${"d".repeat(60)}/${"e".repeat(60)}`;
    const artifacts = [
      file(`${longDir}/${"f".repeat(90)}`, "needs the prefix field\n"),
      file(`${"g".repeat(120)}/short`, "prefix of 120\n"),
      file(`${"h".repeat(170)}/name`, "no split fits: pax\n", 0o600),
      file(`one/${"i".repeat(110)}`, "a 110-byte name: pax\n"),
      file("über/größe.txt", "not ASCII: pax, as GNU tar writes it\n"),
    ];
    const gz = saved(await archiveBytes(artifacts, "tar.gz"), "long.tar.gz");
    for (const tool of ["tar", "bsdtar"] as const) expectTree(unpack(gz, tool), artifacts);
    const verbose = run("tar", ["-tvzf", gz, "--utc"]).trim().split("\n");
    expect(verbose).toHaveLength(artifacts.length);
    for (const line of verbose) expect(line).toMatch(/^-[rwx-]{9} 0\/0 +\d+ 1980-01-01 00:00 /);
  });
});

describe("zip", () => {
  it("stores every entry deflated, dated 1980-01-01, made by Unix with its mode; unzip and bsdtar restore bytes and modes", async () => {
    const all = batches(6).flat();
    const bytes = await archiveBytes(all, "zip", "out/");
    const zip = saved(bytes, "a.zip");
    run("unzip", ["-tq", zip]);
    expectTree(join(unpack(zip, "unzip"), "out"), all);
    expectTree(join(unpack(zip, "bsdtar"), "out"), all);
    const listing = run("zipinfo", [zip]).trim().split("\n").slice(2, -1);
    const sorted = [...all].sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(listing).toHaveLength(all.length);
    for (const [i, line] of listing.entries()) {
      const mode = sorted[i].mode === 0o600 ? "-rw-------" : "-rw-r--r--";
      expect(line).toMatch(new RegExp(`^${mode} +\\S+ unx +${bytesOf(sorted[i]).length} .. defN 80-Jan-01 00:00 out/${sorted[i].path}$`));
    }
  });

  it("writes zip64 end records for 70,000 entries, which unzip and bsdtar count", async () => {
    const b = new ZipBuilder();
    const n = 70_000;
    b.add(Array.from({ length: n }, (_, i) => file(`d${Math.floor(i / 1000)}/f${i}`, i % 2 ? "odd\n" : "")));
    const zip = saved(await b.bytes(), "many.zip");
    expect(run("unzip", ["-l", zip]).trim().split("\n").at(-1)).toMatch(new RegExp(`\\s${n} files$`));
    expect(run("bsdtar", ["-tf", zip]).trim().split("\n")).toHaveLength(n);
    const dir = unpack(zip, "unzip");
    expect(readFileSync(join(dir, "d69/f69999"), "utf8")).toBe("odd\n");
    expect(readFileSync(join(dir, "d0/f0"), "utf8")).toBe("");
  });
});

describe("what the archives read", () => {
  it("is read before each add returns: contents moved to another thread right after (as the CLI moves them to its writer) leave every archive whole", async () => {
    const userData = new TextEncoder().encode(text(11, 300));
    const image = new Uint8Array(APART_MIN + userData.length);
    image.set(userData, APART_MIN);
    const batch = [
      file("n/cloud-init/user-data", userData),
      { ...file("n/seed.iso", image, 0o600), pieces: [{ at: APART_MIN, bytes: userData }] },
      file("n/z", new TextEncoder().encode(text(12, 40))),
      file("n/small", new TextEncoder().encode("tiny\n")),
    ];
    const copies = batch.map((a) => ({ ...a, contents: Uint8Array.from(a.contents as Uint8Array) }));
    copies[1].pieces = [{ at: APART_MIN, bytes: copies[0].contents }];
    const archives = (artifacts: Artifact[], after: () => void) => {
      const tar = new TarGzBuilder("out/");
      const zip = new ZipBuilder("out/");
      tar.add(artifacts);
      zip.add(artifacts);
      const node = archiveBytes(artifacts, "tar.gz", "node/");
      after();
      return Promise.all([tar.bytes(), zip.bytes(), node]);
    };
    const kept = await archives(copies, () => undefined);
    const moved = await archives(batch, () => {
      structuredClone(batch.map((a) => a.contents), { transfer: batch.map((a) => (a.contents as Uint8Array).buffer as ArrayBuffer) });
      expect(batch.every((a) => a.contents.length === 0)).toBe(true);
    });
    // not a byte differs (unzip would not even notice a wrong size in a zip's headers)
    for (const [i, name] of ["tar.gz", "zip", "node tar.gz"].entries()) expect(moved[i].equals(kept[i]), name).toBe(true);
    expectTree(join(unpack(saved(moved[0], "a.tar.gz"), "tar"), "out"), copies);
    expectTree(join(unpack(saved(moved[1], "a.zip"), "unzip"), "out"), copies);
    expectTree(join(unpack(saved(moved[2], "n.tar.gz"), "tar"), "node"), copies);
  });
});

describe("deflate jobs", () => {
  it("size zlib's window to the dictionary, the bytes and the lookahead, and its hash to two heads per position; every stream inflates back", async () => {
    const all = Buffer.from(text(13, 2000));
    for (const [size, dict] of [[0, 0], [1, 0], [250, 0], [251, 0], [3834, 0], [3835, 0], [20_000, 0], [60_000, 0], [300, 500], [300, 32_768]]) {
      const bytes = Uint8Array.from(all.subarray(dict, dict + size));
      const dictionary = dict > 0 ? Uint8Array.from(all.subarray(0, dict)) : undefined;
      const job = rawJob(bytes, { dictionary });
      const reach = dict + size + 262;
      const bits = job.windowBits!;
      expect(bits === 9 || 2 ** (bits - 1) < reach, `${size}+${dict}`).toBe(true);
      expect(bits === 15 || 2 ** bits >= reach, `${size}+${dict}`).toBe(true);
      expect(job.memLevel).toBe(ARCHIVE_MEM_LEVEL - (15 - bits));
      const [made] = await deflateOnThread([job]);
      expect(inflateRawSync(made.bytes, dictionary ? { dictionary } : {}).equals(Buffer.from(bytes)), `${size}+${dict}`).toBe(true);
    }
  });
});

describe("deflate threads", () => {
  it("give what zlib's synchronous calls give for the same bytes and options, and zlib's error for a bad job", async () => {
    const bytes = Buffer.from(text(7, 3000));
    const dictionary = Buffer.from(text(8, 500));
    const [raw, primed, gz] = await deflateOnThread([
      { bytes, format: "raw", level: 6, crc: true },
      { bytes, format: "raw", level: 6, memLevel: 9, finishFlush: constants.Z_SYNC_FLUSH, dictionary },
      { bytes, format: "gzip", level: 6 },
    ]);
    expect(raw.bytes.equals(deflateRawSync(bytes, { level: 6 }))).toBe(true);
    expect(raw.crc).toBe(crc32(bytes));
    expect(primed.bytes.equals(deflateRawSync(bytes, { level: 6, memLevel: 9, finishFlush: constants.Z_SYNC_FLUSH, dictionary }))).toBe(true);
    expect(primed.bytes.equals(deflateRawSync(bytes, { level: 6, finishFlush: constants.Z_SYNC_FLUSH, dictionary }))).toBe(false);
    expect(gz.bytes.equals(gzipSync(bytes, { level: 6 }))).toBe(true);
    await expect(deflateOnThread([{ bytes, format: "raw", level: 42 }])).rejects.toThrow(/^deflate: .*level/);
  });
});
