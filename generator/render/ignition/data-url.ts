/**
 * Inline file contents of an Ignition config as RFC 2397 `data:` URLs, chosen the way Butane's
 * MakeDataURL chooses (docs/sources.md#ignition-data-urls): the shorter of the percent-encoded text
 * (`data:,…`) and base64 (`data:;base64,…`), replaced by gzip + base64 with `compression: gzip` only
 * when that is shorter even after counting the word "gzip". PEM material and short files stay plain;
 * scripts and manifests usually compress.
 * Guarantees: pure and deterministic (gzip level 9 with Node's fixed header: no name, mtime 0);
 * decoding the URL (and gunzipping when compressed) gives back exactly the input text.
 */
import { gzipSync } from "node:zlib";

export interface IgnitionContents {
  source: string;
  compression?: "gzip";
}

/** Characters a data URL may carry unescaped: RFC 3986 unreserved. Everything else is %XX of UTF-8. */
const UNRESERVED = /[A-Za-z0-9\-_.~]/;

export function percentEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function dataUrl(text: string): IgnitionContents {
  const plain = `data:,${percentEncode(text)}`;
  const base64 = `data:;base64,${Buffer.from(text, "utf8").toString("base64")}`;
  const best = base64.length < plain.length ? base64 : plain;
  const gzipped = `data:;base64,${gzipSync(Buffer.from(text, "utf8"), { level: 9 }).toString("base64")}`;
  return gzipped.length + "gzip".length < best.length ? { source: gzipped, compression: "gzip" } : { source: best };
}

