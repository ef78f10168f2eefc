/**
 * A broken secrets file is reported by field and line, never by its text: a line of a PEM block is
 * key material (one base64 line of a P-256 key holds the key), and the token and encryption key
 * are secrets themselves. Every diagnostic is rendered as the CLI prints it and searched for every
 * secret token of the file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderDiagnostic } from "../../generator/core/diagnostics.js";
import { UserError } from "../../generator/core/errors.js";
import { issueCerts } from "../../generator/pki/issue.js";
import { parseSecrets, serializeSecrets } from "../../generator/pki/secrets.js";
import { deps, LEAF_REQUESTS, options } from "./support.js";

/** What the CLI would print for this text (the UserError's diagnostics), or "" when it parses. */
function printed(text: string): { out: string; paths: string[]; lines: number[] } {
  try {
    parseSecrets(text, "secrets/test.yaml");
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { out: e.diagnostics.map(renderDiagnostic).join("\n") + `\n${e.message}`, paths: e.diagnostics.map((d) => d.path.join(".")), lines: e.diagnostics.map((d) => d.loc?.line ?? 0) };
  }
  return { out: "", paths: [], lines: [] };
}

/** Every secret-looking token of a secrets text: PEM body lines, the token, the encryption key. */
function secretTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (/^[A-Za-z0-9+/=]{16,}$/.test(t)) tokens.add(t);
    const m = /^(bootstrapToken|encryptionKey): (.+)$/.exec(t);
    if (m) for (const part of [m[2], ...m[2].split(".")]) if (part.length >= 6) tokens.add(part);
  }
  return [...tokens];
}

function expectNoSecret(out: string, text: string): void {
  expect(out).not.toBe("");
  // a 12-character piece of any token counts: an excerpt cut at 60 characters is still a leak
  for (const token of secretTokens(text)) for (let i = 0; i + 12 <= token.length; i += 12) expect(out, `leaks ${token}`).not.toContain(token.slice(i, i + 12));
}

describe("secrets file diagnostics never quote the file", () => {
  let text: string;
  beforeAll(async () => {
    text = serializeSecrets((await issueCerts(LEAF_REQUESTS, options(), undefined, deps())).secrets);
  });
  const lineOf = (t: string, needle: string, from = 0) => t.split("\n").findIndex((l, i) => i >= from && l.includes(needle)) + 1;

  it("a YAML error inside the kubernetes CA key's PEM block names cas.kubernetes.key and the line, not the key", () => {
    const lines = text.split("\n");
    const begin = lineOf(text, "-----BEGIN EC PRIVATE KEY-----");
    const broken = lines[begin].trimStart(); // the first base64 line of the CA key, dedented out of its block
    lines[begin] = `  ${broken}`;
    const bad = lines.join("\n");
    const r = printed(bad);
    expectNoSecret(r.out, text);
    expect(r.paths[0]).toMatch(/^cas(\.kubernetes(\.key)?)?$/);
    expect(r.lines[0]).toBeGreaterThanOrEqual(begin);
    expect(r.out).toMatch(/the line is not shown/);
  });

  it("a duplicate encryptionKey names the key and its line, not either value", () => {
    const bad = text.replace(/(encryptionKey: .*\n)/, `$1encryptionKey: ${Buffer.alloc(32, 7).toString("base64")}\n`);
    const r = printed(bad);
    expectNoSecret(r.out, bad);
    expect(r.paths).toEqual(["encryptionKey"]);
    expect(r.lines).toEqual([lineOf(bad, "encryptionKey:") + 1]);
    expect(r.out).toMatch(/appears twice/);
  });

  it("a PEM line moved to the top level as a key is not named as an unknown key", () => {
    const pemLine = text.split("\n")[lineOf(text, "-----BEGIN EC PRIVATE KEY-----")].trim();
    const bad = text.replace("cluster: test", `cluster: test\n${pemLine}: 1`);
    const r = printed(bad);
    expectNoSecret(r.out, text);
    expect(r.out).toMatch(/unknown key/);
  });

  it("a format line that holds something else is not echoed", () => {
    const pemLine = text.split("\n")[lineOf(text, "-----BEGIN EC PRIVATE KEY-----")].trim();
    const bad = text.replace("format: kubeseed.secrets/v1", `format: ${pemLine}`);
    const r = printed(bad);
    expectNoSecret(r.out, text);
    expect(r.out).toMatch(/unknown secrets format; this kubeseed reads kubeseed\.secrets\/v1/);
  });

  it("an alias in the file is a located error, not an internal one", () => {
    const bad = text.replace("cluster: test", "cluster: &c test\nextra: *c");
    expect(printed(bad).out).toMatch(/secrets\.yaml|secrets\.unknown-key/);
  });
});
