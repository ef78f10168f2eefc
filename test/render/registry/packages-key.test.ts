/**
 * spec.registry.packagesKey: checked as a real armored OpenPGP public key (keys exported by the real
 * gpg pass, altered or hostile ones fail with invalid-packages-key), and written into mirror.sh so
 * that no content can escape its quoting: the script's packages_key function, run by the real bash
 * with a key that tries to end a heredoc and run a command, prints the key and runs nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../../generator/model/build.js";
import { loadProfile } from "../../../generator/profile/index.js";
import { pgpPublicKeyProblem } from "../../../generator/profile/openpgp.js";
import { renderMirrorScript } from "../../../generator/render/registry/mirror.js";
import { exampleProfile, REPO_ROOT } from "../../helpers/generate.js";

const KEY = readFileSync(`${REPO_ROOT}/test/fixtures/packages-key.asc`, "utf8");
const MARK = join(mkdtempSync(join(tmpdir(), "ks-pgp-")), "pwned");
/** A line `KEY` closes `cat <<'KEY'`; what follows it then runs as shell. */
const HOSTILE = KEY.replace(/\n=/, `\nKEY\ntouch ${MARK}\ncat <<'KEY'\n=`);

function gpgExport(args: string[]): string {
  const home = mkdtempSync(join(tmpdir(), "ks-gpg-"));
  const gen = spawnSync("gpg", ["--homedir", home, "--batch", "--passphrase", "", "--quick-gen-key", "test <test@kubeseed.invalid>", ...args], { encoding: "utf8" });
  if (gen.status !== 0) throw new Error(gen.stderr);
  return spawnSync("gpg", ["--homedir", home, "--armor", "--export", "test@kubeseed.invalid"], { encoding: "utf8" }).stdout;
}

const profileText = (key: string) =>
  readFileSync(`${REPO_ROOT}/profiles/prod-airgap.yaml`, "utf8").replace(/(\n {2}registry:\n)/, `$1    packagesKey: |\n${key.trimEnd().split("\n").map((l) => `      ${l}`).join("\n")}\n`);

describe("packagesKey", () => {
  it.each([
    ["ed25519", ["ed25519", "sign"]],
    ["rsa3072", ["rsa3072", "sign"]],
  ])("accepts a key the real gpg exported (%s), and the fixture", (_name, args) => {
    expect(pgpPublicKeyProblem(gpgExport(args))).toBeUndefined();
    expect(pgpPublicKeyProblem(KEY)).toBeUndefined();
  });

  it.each([
    ["a line that closes a heredoc and a command after it", HOSTILE, /not base64/],
    ["one changed character (checksum)", KEY.replace(/^(m...)./m, (_, a: string) => `${a}${a[1] === "A" ? "B" : "A"}`), /checksum/],
    ["a cut key (packets)", KEY.replace(/\n[^\n]*\n=[^\n]*\n/, "\n"), /packets|base64/],
    ["a private key block", KEY.replace(/PUBLIC KEY/g, "PRIVATE KEY"), /PRIVATE/],
    ["text after the footer", `${KEY}echo hi\n`, /-----END PGP PUBLIC KEY BLOCK-----/],
  ])("refuses %s, in a profile with invalid-packages-key or the schema's format error", (_title, key, why) => {
    expect(pgpPublicKeyProblem(key)).toMatch(why);
    const { profile, diagnostics } = loadProfile([{ file: "p.yaml", text: profileText(key) }]);
    expect(profile).toBeUndefined();
    expect(diagnostics.map((d) => `${d.code} ${d.path.join(".")}`)).toContainEqual(expect.stringMatching(/^(invalid-packages-key|invalid-value) spec\.registry\.packagesKey$/));
  });

  it("mirror.sh prints even a hostile key verbatim and runs nothing from it (real bash)", () => {
    const p = exampleProfile("prod-airgap");
    const model = buildModel({ ...p, spec: { ...p.spec, registry: { ...p.spec.registry, packagesKey: HOSTILE } } });
    const dir = mkdtempSync(join(tmpdir(), "ks-mirror-"));
    writeFileSync(join(dir, "mirror.sh"), renderMirrorScript(model));
    const r = spawnSync("bash", ["-c", `eval "$(sed -n '/^packages_key() {/,/^}/p' mirror.sh)" && packages_key`], { cwd: dir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(HOSTILE.trimEnd() + "\n");
    expect(existsSync(MARK)).toBe(false);
    expect(spawnSync("bash", ["-n", join(dir, "mirror.sh")]).status).toBe(0);
  });
});
