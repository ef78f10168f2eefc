/**
 * bundle/delivery.ts: the form of a user-data upload told apart from its text or its bytes (archives
 * and seed ISOs take every file encoded), and what a NoCloud seed holds for each.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { noCloudUserData, userDataForm, userDataText } from "../../generator/bundle/delivery.js";

const config = "#cloud-config\nhostname: n\n";
const gz = new Uint8Array(gzipSync(config));
const base64 = Buffer.from(gz).toString("base64");
const bytes = (text: string) => new TextEncoder().encode(text);

describe("userDataForm", () => {
  it("tells text, gzip and base64 of gzip apart, as text or as bytes, and reads the cloud-config back from each", () => {
    for (const [contents, form] of [
      [config, "text"],
      [bytes(config), "text"],
      [gz, "gzip"],
      [base64, "gzip+base64"],
      [bytes(base64), "gzip+base64"],
    ] as const) {
      expect(userDataForm(contents)).toBe(form);
      expect(userDataText(contents)).toBe(config);
    }
  });

  it("takes any other text as text, never decoding it as base64 (a MIME multi-part document, a byte-order mark)", () => {
    for (const text of ["Content-Type: multipart/mixed; boundary=x\n\n--x--\n", `\ufeff${config}`, "hostname\n"]) {
      for (const contents of [text, bytes(text)]) {
        expect(userDataForm(contents)).toBe("text");
        expect(noCloudUserData(contents)).toBe(contents);
      }
    }
  });

  it("gives a NoCloud seed the gzip bytes of a base64 upload, given as text or as bytes", () => {
    for (const contents of [base64, bytes(base64)]) expect(Buffer.from(noCloudUserData(contents) as Uint8Array).equals(Buffer.from(gz))).toBe(true);
  });
});
