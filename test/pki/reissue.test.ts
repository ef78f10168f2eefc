/**
 * Why issueCerts keeps or re-issues a leaf (pki/reissue.ts), one table row per reason, each checked
 * against a real issued secrets bundle: the changed request (or clock, or CA) and the reason it gives.
 * Also the certificate expiry rows and warnings (pki/expiry.ts) gen and `gen certs check` show.
 */
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../generator/core/clock.js";
import { expiryRows, expiryWarnings } from "../../generator/pki/expiry.js";
import { issueCerts, type IssueResult } from "../../generator/pki/issue.js";
import type { CertRequest } from "../../generator/plan/types.js";
import { deps, HOUR, LEAF_REQUESTS, NOW, options } from "./support.js";

const at = (ms: number) => deps(fixedClock(new Date(ms).toISOString()), "later");
const change = (id: string, over: Partial<CertRequest>) => LEAF_REQUESTS.map((r) => (r.id === id ? { ...r, ...over } : r));

describe("reissue reasons", () => {
  let first: IssueResult;
  const again = async (requests: CertRequest[], o = options(), when = Date.parse(NOW)) => issueCerts(requests, o, first.secrets, at(when));

  it("a first run issues everything as new, a rerun keeps everything", async () => {
    first = await issueCerts(LEAF_REQUESTS, options(), undefined, deps());
    expect(Object.values(first.reasons).map((r) => r.reason)).toEqual(LEAF_REQUESTS.map(() => "new"));
    const r = await again(LEAF_REQUESTS);
    expect(r.issued).toEqual([]);
    expect(r.reasons).toEqual({});
  });

  it.each<[string, () => Promise<IssueResult>, string, Record<string, unknown>]>([
    ["a SAN added and one dropped", () => again(change("node/cp-1/apiserver", { ipAddresses: ["10.96.0.1", "192.168.1.99"] })), "node/cp-1/apiserver", { reason: "sans", added: ["192.168.1.99"], dropped: ["192.168.1.11"] }],
    ["the subject's O", () => again(change("operator/alice", { organizations: ["dev"] })), "operator/alice", { reason: "subject" }],
    ["the usages", () => again(change("operator/alice", { extKeyUsages: ["clientAuth", "serverAuth"] })), "operator/alice", { reason: "usages" }],
    ["the key algorithm", () => again(LEAF_REQUESTS, options("ecdsa-p384")), "operator/alice", { reason: "algorithm" }],
    ["the validity", () => again(LEAF_REQUESTS, options("ecdsa-p256", { certValidityHours: 4000 })), "operator/alice", { reason: "rules" }],
    ["29 days before the end", () => again(LEAF_REQUESTS, options(), Date.parse(NOW) + (365 - 29) * 24 * HOUR), "operator/alice", { reason: "expiry" }],
  ])("%s", async (_, run, id, want) => {
    const r = await run();
    expect(r.issued).toContain(id);
    expect(r.reasons[id]).toMatchObject(want);
    expect(r.reasons[id].notAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("a certificate of another CA (the etcd CA's own leaf moved to the kubernetes CA) is re-issued for its signer", async () => {
    const r = await again(change("node/cp-1/etcd-server", { signer: "kubernetes" }));
    expect(r.reasons["node/cp-1/etcd-server"]).toMatchObject({ reason: "signer" });
  });
});

describe("expiry rows and warnings", () => {
  it("CAs first, then leaves by id; ok, due inside the window, expired; a warning per row that is not ok", async () => {
    const r = await issueCerts(LEAF_REQUESTS, options("ecdsa-p256", { caValidityHours: 24 * 400 }), undefined, deps());
    const window = 30 * 24 * HOUR;
    const fresh = expiryRows(r.secrets, new Date(NOW), window);
    expect(fresh.slice(0, 3).map((x) => x.id)).toEqual(["ca/kubernetes", "ca/etcd", "ca/front-proxy"]);
    expect(fresh.slice(3).map((x) => x.id)).toEqual([...LEAF_REQUESTS.map((x) => x.id)].sort());
    expect(fresh.every((x) => x.status === "ok")).toBe(true);
    expect(fresh.find((x) => x.id === "operator/alice")!.daysLeft).toBe(365);
    expect(expiryWarnings(fresh)).toEqual([]);
    const late = expiryRows(r.secrets, new Date(Date.parse(NOW) + 380 * 24 * HOUR), window);
    expect(late.filter((x) => x.ca).map((x) => x.status)).toEqual(["due", "due", "due"]);
    expect(late.filter((x) => !x.ca).map((x) => x.status)).toEqual(LEAF_REQUESTS.map(() => "expired"));
    const w = expiryWarnings(late);
    expect(w[0]).toMatch(/^the kubernetes CA expires on \d{4}-\d\d-\d\d, within the renewal window: .*\(gen secrets rotate-ca\)$/);
    expect(w.filter((x) => / expired on /.test(x))).toHaveLength(LEAF_REQUESTS.length);
  });
});
