/**
 * checkAuditPolicy: the profile's own audit policy file (spec.audit.policyFile) checked as kube-apiserver
 * reads it (k8s.io/apiserver pkg/apis/audit/v1 Policy: apiVersion audit.k8s.io/v1, kind Policy, a list of
 * rules, each with a level None | Metadata | Request | RequestResponse), before any node gets it: a policy
 * the apiserver refuses would stop every control plane at its first start.
 * Guarantees: pure; collects every problem, each located in the policy file (line, column, the line);
 * never echoes more of the file than the offending line.
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Node } from "yaml";
import type { Diagnostic } from "../core/diagnostics.js";
import { messages } from "../core/messages.js";

const M = messages.options.rules;
const LEVELS = ["None", "Metadata", "Request", "RequestResponse"];

export function checkAuditPolicy(text: string, file: string): Diagnostic[] {
  // yaml loads only for a profile that names a policy file
  const { isMap, isSeq, LineCounter, parseDocument } = createRequire(import.meta.url)("yaml") as typeof Yaml;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lines = text.split(/\r?\n/);
  const at = (offset: number, message: string, path: (string | number)[] = []): Diagnostic => {
    const { line, col } = lc.linePos(offset);
    return { severity: "error", code: "audit-policy", path, message, hint: M.auditPolicyHint, loc: { file, line, col, text: lines[line - 1] ?? "" } };
  };
  if (doc.errors.length) return doc.errors.map((e) => at(e.pos[0], M.auditPolicyYaml(e.message.split("\n")[0])));
  const root = doc.contents;
  if (!isMap(root)) return [at(0, M.auditPolicyShape("the file is not a YAML mapping"))];
  const out: Diagnostic[] = [];
  const start = (n: unknown) => (n as Node | null | undefined)?.range?.[0] ?? 0;
  const field = (key: string, want: string) => {
    const v = root.get(key, true);
    if (!v || (v as { value?: unknown }).value !== want) out.push(at(start(v ?? root), M.auditPolicyShape(`${key} must be ${want}`), [key]));
  };
  field("apiVersion", "audit.k8s.io/v1");
  field("kind", "Policy");
  const rules = root.get("rules", true);
  if (!isSeq(rules) || rules.items.length === 0) {
    out.push(at(start(rules ?? root), M.auditPolicyShape("rules must be a non-empty list"), ["rules"]));
    return out;
  }
  rules.items.forEach((r, i) => {
    const level = isMap(r) ? r.get("level", true) : undefined;
    const value = (level as { value?: unknown } | undefined)?.value;
    if (typeof value !== "string" || !LEVELS.includes(value)) {
      out.push(at(start(level ?? r), M.auditPolicyShape(`rules[${i}].level must be one of ${LEVELS.join(", ")}`), ["rules", i, "level"]));
    }
  });
  return out;
}
