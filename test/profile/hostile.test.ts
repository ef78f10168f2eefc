/**
 * Hostile and broken inputs, as a table: files that are not profiles (a secrets file, /etc/passwd,
 * /proc/self/environ, devices, FIFOs, directories, 12 MB, UTF-16, Latin-1), YAML that is broken on
 * purpose (an unclosed quote, an undefined alias, 20,000 levels of nesting) and values that would
 * reach a node's programs or the operator's terminal (escape sequences, NUL, line breaks, megabytes,
 * shell and YAML metacharacters). Every row: read as `gen` reads (io/profile-files + loadProfile),
 * the expected codes, and for every row the same guarantees: only UserErrors, every diagnostic
 * located, the rendered text free of control characters and short, nothing of a non-profile file
 * echoed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderDiagnostic, type Diagnostic } from "../../generator/core/diagnostics.js";
import { UserError } from "../../generator/core/errors.js";
import { readProfileSources } from "../../generator/io/profile-files.js";
import { loadProfile } from "../../generator/profile/index.js";
import { VALID, variant } from "./support.js";

const SECRET = "s3cr3t-t0ken-4f2a9c";
const SECRETS_TEXT = `format: kubeseed.secrets/v1\ncluster: test\nbootstrapToken: ${SECRET}\nencryptionKey: ${SECRET}${SECRET}\n`;

interface Case {
  /** files to create in a scratch dir (name → text, or bytes) */
  files?: Record<string, string | Buffer>;
  /** text of the profile (written as profile.yaml) */
  text?: string;
  /** the --profile reference (default profile.yaml) */
  ref?: string;
  /** setup beyond files (FIFOs, symlinks) */
  setup?: (dir: string) => void;
}

/** What gen would report: every diagnostic, rendered as the CLI prints it. */
function run(c: Case): { diags: Diagnostic[]; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "ks-hostile-"));
  for (const [name, body] of Object.entries({ ...(c.text !== undefined ? { "profile.yaml": c.text } : {}), ...c.files })) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  c.setup?.(dir);
  let diags: Diagnostic[];
  try {
    diags = loadProfile(readProfileSources(c.ref ?? "profile.yaml", dir)).diagnostics;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    diags = e.diagnostics;
  }
  return { diags, out: diags.map(renderDiagnostic).join("\n\n") };
}

const withExtends = (target: string) => `extends: ${JSON.stringify(target)}\nmetadata:\n  name: x\n`;
const deepFlow = variant([["spec:", `spec: ${"[".repeat(20_000)}${"]".repeat(20_000)}`]]);
const deepBlock = `apiVersion: kubeseed/v1\nkind: ClusterProfile\nspec:\n${Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i + 2)}a${i}:`).join("\n")}\n`;
const ROOT_LINE = "    name: administrator";
const LABEL_LINE = "        zone: a";
const KEY_LINE = VALID.split("\n").find((l) => l.startsWith("      - ssh-ed25519"))!;
const taint = (key: string, value: string) => variant([[LABEL_LINE, `${LABEL_LINE}\n      taints: [{key: ${key}, value: ${value}, effect: NoSchedule}]`]]);

const rows: [title: string, c: Case, codes: string[], mustNotShow?: string[], shows?: RegExp][] = [
  // files that are not profiles
  ["extends names the secrets file", { text: withExtends("secrets.yaml"), files: { "secrets.yaml": SECRETS_TEXT } }, ["extends-not-a-profile"], [SECRET]],
  ["the secrets file given as the profile", { ref: "secrets.yaml", files: { "secrets.yaml": SECRETS_TEXT } }, ["not-a-profile"], [SECRET]],
  ["extends names /etc/passwd", { text: withExtends("/etc/passwd") }, ["extends-not-a-profile"], ["root:x:0"]],
  ["extends names /proc/self/environ", { text: withExtends("/proc/self/environ") }, ["profile-not-a-file"], [process.env.PATH ?? "/usr/bin"]],
  ["the profile is /proc/self/environ", { ref: "/proc/self/environ" }, ["profile-not-a-file"], [process.env.PATH ?? "/usr/bin"]],
  ["a symlink to /proc/self/environ", { text: withExtends("env.yaml"), setup: (d) => symlinkSync("/proc/self/environ", join(d, "env.yaml")) }, ["profile-not-a-file"], [process.env.PATH ?? "/usr/bin"]],
  ["extends names /dev/zero", { text: withExtends("/dev/zero") }, ["profile-not-a-file"]],
  ["extends names a FIFO (never blocks)", { text: withExtends("fifo.yaml"), setup: (d) => execFileSync("mkfifo", [join(d, "fifo.yaml")]) }, ["profile-not-a-file"]],
  ["extends names a directory", { text: withExtends("sub"), setup: (d) => mkdirSync(join(d, "sub")) }, ["profile-not-a-file"]],
  ["a 12 MB profile", { text: VALID + `# ${"x".repeat(12 * 1024 * 1024)}\n` }, ["profile-too-large"]],
  ["UTF-16 with a byte-order mark", { files: { "profile.yaml": Buffer.from(`\ufeff${VALID}`, "utf16le") } }, ["profile-encoding"], [], /is UTF-16 text/],
  ["UTF-16 without a byte-order mark", { files: { "profile.yaml": Buffer.from(VALID, "utf16le") } }, ["profile-encoding"]],
  ["Latin-1 text", { files: { "profile.yaml": Buffer.from(variant([[ROOT_LINE, "    name: admin # caf\u00e9"]]), "latin1") } }, ["profile-encoding"]],
  // YAML broken on purpose
  ["an unclosed quote", { text: variant([[ROOT_LINE, '    name: "administrator']]) }, ["yaml-syntax"], [], /quote is never closed[^]*profile\.yaml:39:11/],
  ["an alias without anchor", { text: variant([[ROOT_LINE, "    name: *admin"]]) }, ["yaml-syntax"], [], /alias \*admin refers to no anchor/],
  ["20,000 levels of flow nesting", { text: deepFlow }, ["yaml-syntax"], ["call stack"], /nested more than 64 levels/],
  ["1,000 levels of block nesting", { text: deepBlock }, ["yaml-syntax"], ["call stack"], /nested more than 64 levels/],
  ["an alias bomb", { text: `apiVersion: kubeseed/v1\nkind: ClusterProfile\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n` }, ["yaml-syntax"]],
  // values that reach a terminal or a node
  ["an escape sequence in a label value", { text: variant([[LABEL_LINE, `        zone: "\\e[2J\\e[31mred"`]]) }, ["invalid-value"], [], /\\x1b\[2J/],
  ["an escape sequence in an unknown key", { text: variant([["kind: ClusterProfile", `kind: ClusterProfile\n"\\e]0;pwned\\a": 1`]]) }, ["unknown-key"]],
  ["a NUL and a bidi override in a node name", { text: variant([["    - name: cp-1", `    - name: "cp\\0-\\u202e1"`]]) }, ["invalid-value"]],
  ["a 5 MB value", { text: variant([[LABEL_LINE, `        zone: ${"a".repeat(5 * 1024 * 1024)}`]]) }, ["profile-too-large"]],
  ["a 500 kB value", { text: variant([[LABEL_LINE, `        zone: ${"a".repeat(500 * 1024)}`]]) }, ["invalid-value"], [], /a… \(512000 characters\)/],
  ["an SSH key with an embedded second key", { text: variant([[KEY_LINE, `      - "${KEY_LINE.slice(8)}\\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ evil@attacker"`]]) }, ["invalid-ssh-key"]],
  ["the admin is root", { text: variant([[ROOT_LINE, "    name: root"]]) }, ["admin-system-account"]],
  ["a taint key with shell metacharacters", { text: taint("'a;rm -rf /'", "infra") }, ["invalid-value"]],
  ["a taint value with a line break", { text: taint("dedicated", '"a\\nb: c"') }, ["invalid-value"]],
  ["a label key with a bad prefix", { text: variant([[LABEL_LINE, "        Example.COM/zone: a"]]) }, ["invalid-value"]],
  ["a label key whose prefix label is 64 characters", { text: variant([[LABEL_LINE, `        ${"a".repeat(64)}.io/zone: a`]]) }, ["invalid-value"]],
  ["the interface ..", { text: variant([["    interface: eth1", "    interface: .."]]) }, ["invalid-value"]],
  ["an interface that with its VLAN exceeds 15 characters", { text: variant([["    interface: eth1", "    interface: enp0s31f6abcd"]]) }, ["interface-name"]],
  ["an RBAC group starting with #", { text: variant([["      groups: [developers]", "      groups: ['#30']"]]) }, ["invalid-value"]],
  ["a password hash with a colon and a line break", { text: variant([[ROOT_LINE, `${ROOT_LINE}\n    passwordHash: "$6$x$y:0:0\\nroot::0"`]]) }, ["invalid-value"]],
  ["a DNS label of 64 characters", { text: variant([["      host: k8s-api.test.internal", `      host: ${"a".repeat(64)}.internal`]]) }, ["invalid-value"]],
];

describe("hostile inputs", () => {
  it("the table has at least 30 rows", () => expect(rows.length).toBeGreaterThanOrEqual(30));

  it.each(rows)("%s", (_title, c, codes, mustNotShow = [], shows) => {
    const { diags, out } = run(c);
    expect([...new Set(diags.map((d) => d.code))], out).toEqual(codes);
    for (const d of diags) expect(d.loc, d.code).toBeDefined();
    // nothing reaches the terminal raw: no control character but the line breaks between lines
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out.length).toBeLessThan(8_000);
    for (const s of mustNotShow) expect(out).not.toContain(s);
    if (shows) expect(out).toMatch(shows);
  });
});
