/**
 * The pure ISO 9660 builder, byte by byte: names, descriptors, directory packing, Rock Ridge entries,
 * determinism. The real tools read its images in test/consumers/seed-iso.test.ts.
 */
import { describe, expect, it } from "vitest";
import { both16, both32, recordDate, SECTOR, volumeDate } from "../../../generator/bundle/iso9660/fields.js";
import { buildIso9660, type IsoFile } from "../../../generator/bundle/iso9660/image.js";
import { assertDistinct, fileNames, levelOneIdentifier } from "../../../generator/bundle/iso9660/names.js";
import { er, RRIP } from "../../../generator/bundle/iso9660/rock-ridge.js";

const TIME = new Date("1980-01-01T00:00:00Z");
const text = (s: string) => new TextEncoder().encode(s);
const file = (name: string, contents: string, mode = 0o644): IsoFile => ({ name, contents: text(contents), mode });
const build = (files: IsoFile[]) => buildIso9660({ volumeId: "cidata", applicationId: "KUBESEED", time: TIME, files });
const ascii = (b: Uint8Array, from: number, len: number) => new TextDecoder("latin1").decode(b.subarray(from, from + len));
const le32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const be32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, false);

/** Directory records of the extent at `sector` (ECMA-119 9.1): identifier, location, size, system use */
function records(img: Uint8Array, sector: number) {
  const size = le32(img, sector * SECTOR + 10);
  const out: { at: number; id: Uint8Array; location: number; size: number; su: Uint8Array }[] = [];
  for (let pos = sector * SECTOR; pos < sector * SECTOR + size; ) {
    const len = img[pos];
    if (len === 0) {
      pos = (Math.floor(pos / SECTOR) + 1) * SECTOR;
      continue;
    }
    const idLen = img[pos + 32];
    const suFrom = pos + 33 + idLen + (idLen % 2 === 0 ? 1 : 0);
    out.push({ at: pos, id: img.slice(pos + 33, pos + 33 + idLen), location: le32(img, pos + 2), size: le32(img, pos + 10), su: img.slice(suFrom, pos + len) });
    pos += len;
  }
  return out;
}

describe("ISO 9660 fields", () => {
  it("writes both-byte-order numbers, little endian first", () => {
    expect([...both32(0x01020304)]).toEqual([4, 3, 2, 1, 1, 2, 3, 4]);
    expect([...both16(2048)]).toEqual([0, 8, 8, 0]);
    expect(() => both32(-1)).toThrow(/internal/);
  });

  it("writes the 7-byte record date and the 17-byte volume date in UTC", () => {
    expect([...recordDate(new Date("2026-11-01T12:34:56Z"))]).toEqual([126, 11, 1, 12, 34, 56, 0]);
    expect(ascii(volumeDate(new Date("2026-11-01T12:34:56.780Z")), 0, 17)).toBe("2026110112345678\0");
    expect(ascii(volumeDate(undefined), 0, 17)).toBe("0000000000000000\0");
  });
});

describe("file names", () => {
  it.each([
    ["user-data", "USER_DAT.;1"],
    ["meta-data", "META_DAT.;1"],
    ["network-config", "NETWORK_.;1"],
    ["vendor-data", "VENDOR_D.;1"],
    ["seed.iso", "SEED.ISO;1"],
    ["a.tar.gz", "A_TAR.GZ;1"],
  ])("maps %s to the level-1 identifier %s, as genisoimage does", (name, id) => {
    expect(levelOneIdentifier(fileNames(name))).toBe(id);
  });

  it("refuses names outside the portable set and names that collide in 8.3", () => {
    for (const bad of ["", ".hidden", "a/b", "ünïcode", "x".repeat(65)]) expect(() => fileNames(bad), bad).toThrow(/internal/);
    expect(() => assertDistinct([fileNames("user-data"), fileNames("user-dat")])).toThrow(/USER_DAT/);
  });
});

describe("buildIso9660", () => {
  const files = [file("user-data", "#cloud-config\n", 0o600), file("meta-data", "instance-id: x\n"), file("network-config", "version: 2\n")];
  const img = build(files);

  it("is a whole number of sectors whose count is the volume space size of both descriptors", () => {
    expect(img.length % SECTOR).toBe(0);
    for (const s of [16, 17]) {
      expect(le32(img, s * SECTOR + 80)).toBe(img.length / SECTOR);
      expect(be32(img, s * SECTOR + 84)).toBe(img.length / SECTOR);
    }
    expect(img.subarray(0, 16 * SECTOR).every((b) => b === 0)).toBe(true);
  });

  it("has a primary descriptor, a Joliet descriptor (%/E, UCS-2 texts) and a terminator", () => {
    expect([img[16 * SECTOR], ascii(img, 16 * SECTOR + 1, 5), ascii(img, 16 * SECTOR + 40, 32).trim()]).toEqual([1, "CD001", "cidata"]);
    expect([img[17 * SECTOR], ascii(img, 17 * SECTOR + 88, 3)]).toEqual([2, "%/E"]);
    expect(new TextDecoder("utf-16be").decode(img.subarray(17 * SECTOR + 40, 17 * SECTOR + 72)).trim()).toBe("cidata");
    expect([img[18 * SECTOR], ascii(img, 18 * SECTOR + 1, 5)]).toEqual([255, "CD001"]);
  });

  it("starts the root's system use with SP and points a CE at the Rock Ridge ER entry", () => {
    const root = le32(img, 16 * SECTOR + 156 + 2);
    const self = records(img, root)[0];
    expect(ascii(self.su, 0, 7)).toBe("SP\x07\x01\xbe\xef\x00");
    const ceAt = [...self.su].findIndex((_, i) => ascii(self.su, i, 2) === "CE");
    const block = le32(self.su, ceAt + 4);
    const length = le32(self.su, ceAt + 20);
    expect(length).toBe(er().length);
    expect(ascii(img, block * SECTOR, 2)).toBe("ER");
    expect(ascii(img, block * SECTOR + 8, RRIP.id.length)).toBe("RRIP_1991A");
    expect(er().length).toBe(8 + 10 + 84 + 135);
  });

  it("lists each file in both trees at one extent that holds its bytes, with its real name in NM and Joliet", () => {
    const primary = records(img, le32(img, 16 * SECTOR + 156 + 2)).slice(2);
    const joliet = records(img, le32(img, 17 * SECTOR + 156 + 2)).slice(2);
    expect(primary.map((r) => ascii(r.id, 0, r.id.length))).toEqual(["META_DAT.;1", "NETWORK_.;1", "USER_DAT.;1"]);
    expect(joliet.map((r) => new TextDecoder("utf-16be").decode(r.id))).toEqual(["meta-data", "network-config", "user-data"]);
    for (const [i, f] of [files[1], files[2], files[0]].entries()) {
      expect(primary[i].location).toBe(joliet[i].location);
      expect(img.subarray(primary[i].location * SECTOR, primary[i].location * SECTOR + primary[i].size)).toEqual(f.contents);
      expect(ascii(primary[i].su, 0, primary[i].su.length)).toContain(`NM${String.fromCharCode(5 + f.name.length)}\x01\x00${f.name}`);
    }
  });

  it("packs a directory over several sectors without a record crossing a sector boundary", () => {
    const many = Array.from({ length: 60 }, (_, i) => file(`f${String(i).padStart(2, "0")}-a-longer-name.yaml`, `n${i}\n`));
    const big = build(many);
    const recs = records(big, le32(big, 16 * SECTOR + 156 + 2));
    expect(recs).toHaveLength(62);
    expect(le32(big, 16 * SECTOR + 156 + 10)).toBeGreaterThan(SECTOR);
    for (const r of recs) expect(Math.floor(r.at / SECTOR)).toBe(Math.floor((r.at + big[r.at] - 1) / SECTOR));
  });

  it("gives the same bytes for the same input, whatever the file order", () => {
    expect(build([...files].reverse())).toEqual(img);
  });

  it("refuses a volume id that does not fit both descriptors", () => {
    expect(() => buildIso9660({ volumeId: "a-volume-id-that-is-too-long", applicationId: "", time: TIME, files })).toThrow(/internal/);
  });
});
