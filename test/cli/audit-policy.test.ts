/**
 * spec.audit.policyFile through the real CLI: the user's policy file, relative to the profile, lands
 * unchanged on every control plane; a missing file is an error located at the policyFile line; a policy
 * kube-apiserver would refuse is an error located in the policy file; both exit 1 and write nothing.
 * The checks of checkAuditPolicy itself are a table.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAuditPolicy } from "../../generator/profile/audit-policy.js";
import { gen, scratchDir } from "./support.js";

const POLICY = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n";

function withPolicy(dir: string, policyFile: string): void {
  const prod = readFileSync(join(dir, "profiles/prod.yaml"), "utf8");
  writeFileSync(join(dir, "profiles/own.yaml"), prod.replace("name: prod", "name: own").replace("  audit: {}", `  audit:\n    policyFile: ${policyFile}\n    maxAge: 7`));
}

describe("spec.audit.policyFile", () => {
  it("puts the user's policy on every control plane, and its rotation in the apiserver flags", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "profiles/my-audit.yaml"), POLICY);
    withPolicy(dir, "my-audit.yaml");
    const r = gen(dir, "--profile", "own");
    expect(r.status, r.stderr).toBe(0);
    for (const cp of ["kube-cp-1", "kube-cp-2", "kube-cp-3"]) expect(readFileSync(join(dir, `output/own/nodes/${cp}/files/etc/kubernetes/audit/policy.yaml`), "utf8")).toBe(POLICY);
    expect(existsSync(join(dir, "output/own/nodes/kube-worker-1/files/etc/kubernetes/audit/policy.yaml"))).toBe(false);
    expect(readFileSync(join(dir, "output/own/nodes/kube-cp-1/files/etc/kubernetes/kubeadm/config.yaml"), "utf8")).toMatch(/- name: audit-log-maxage\n {6}value: "7"/);
  });

  it("a missing policy file is an error at the policyFile line; nothing is written", () => {
    const dir = scratchDir();
    withPolicy(dir, "nowhere.yaml");
    const r = gen(dir, "--profile", "own");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[spec\.audit\.policyFile\]: the audit policy file profiles\/nowhere\.yaml does not exist \(audit-policy-missing\)/);
    expect(r.stderr).toMatch(/--> profiles\/own\.yaml:\d+:\d+/);
    expect(existsSync(join(dir, "output/own"))).toBe(false);
  });

  it("a policy kube-apiserver would refuse is located in the policy file", () => {
    const dir = scratchDir();
    writeFileSync(join(dir, "profiles/bad-audit.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Everything\n");
    withPolicy(dir, "bad-audit.yaml");
    const r = gen(dir, "validate", "--profile", "own");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("rules[0].level must be one of None, Metadata, Request, RequestResponse");
    expect(r.stderr).toMatch(/--> profiles\/bad-audit\.yaml:4:12/);
  });
});

describe("checkAuditPolicy", () => {
  it.each([
    ["a valid policy", POLICY, []],
    ["another apiVersion", POLICY.replace("audit.k8s.io/v1", "audit.k8s.io/v1beta1"), [[1, "apiVersion must be audit.k8s.io/v1"]]],
    ["another kind", POLICY.replace("Policy", "Pod"), [[2, "kind must be Policy"]]],
    ["no rules", "apiVersion: audit.k8s.io/v1\nkind: Policy\n", [[1, "rules must be a non-empty list"]]],
    ["a rule without a level", POLICY.replace("  - level: Metadata", "  - verbs: [get]"), [[4, "rules[0].level must be one of None, Metadata, Request, RequestResponse"]]],
    ["broken YAML", "apiVersion: [\n", [[2, "the audit policy is not valid YAML"]]],
    ["a list instead of a mapping", "- a\n", [[1, "the file is not a YAML mapping"]]],
  ] as [string, string, [number, string][]][])("%s", (_, text, expected) => {
    const found = checkAuditPolicy(text, "p.yaml");
    expect(found.map((d) => d.loc?.line)).toEqual(expected.map(([line]) => line));
    found.forEach((d, i) => expect(d.message).toContain(expected[i][1]));
    for (const d of found) expect(d.loc?.file).toBe("p.yaml");
  });
});
