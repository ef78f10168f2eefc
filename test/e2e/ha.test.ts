/**
 * The HA rehearsal: profiles/lab.yaml — three control planes behind the keepalived + haproxy VIP, two
 * workers, air-gapped — booted by scripts/cluster-up.sh from their generated seeds with lab-worker-2
 * held back, with seed 000's firewall, seed 001's audit log and the metadata block. Besides everything
 * checks.ts and seed-checks.ts judge, the faults of a real site (item 5): the VIP holder
 * dies, a worker reboots, a bootstrap loses its markers, and a worker is booted only after the rest of
 * the cluster is up; and day two's renewal: a control plane's kubeseed-renew-certs, forced, renews its
 * certificates with the node's kubeadm and restarts its static Pods while the cluster stays Ready.
 * Needs root, podman and Go; skips with the reason otherwise, fails under CI.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerName } from "../../scripts/rehearsal/nodes.js";
import { clusterBasics } from "./checks.js";
import { seedChecks } from "./seed-checks.js";
import { bootstrapStatus, clusterDown, clusterUp, clusterUpAgain, eventually, kubectl, memoryMiB, nodeReadiness, onNode, run, skipReason, type Cluster } from "./support.js";

const PROFILE = "profiles/lab.yaml";
const LATE = "lab-worker-2";
const why = skipReason();
let c: Cluster;
const booted = () => c.plan.nodes.map((n) => n.name).filter((n) => n !== LATE);
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe.skipIf(!!why)(`rehearsal cluster: 3 control planes behind the VIP + 2 workers${why ? ` — SKIPPED: ${why}` : ""}`, () => {
  beforeAll(() => {
    c = clusterUp(PROFILE, ["--hold", LATE]);
    console.log(`e2e ha: cluster-up (4 of 5 nodes) took ${c.upSeconds} s (${c.figures}); containers (MiB): ${JSON.stringify(memoryMiB(c))}`);
  }, 95 * 60_000);
  afterAll(() => clusterDown(c), 600_000);

  clusterBasics(() => c, booted);
  seedChecks(PROFILE, () => c, booted);

  it("5a. the VIP holder stops: the API still answers through the VIP, the other two keep etcd's quorum", async () => {
    const vip = c.plan.model.endpoint.vip!;
    const cps = c.plan.nodes.filter((n) => n.role === "control-plane").map((n) => n.name);
    const holder = cps.find((n) => onNode(c, n, "ip -o -4 addr show").out.includes(` ${vip}/`));
    expect(holder, "one control plane holds the VIP").toBeDefined();
    expect(run("podman", ["stop", "-t", "20", containerName(c.plan.cluster, holder!)], 120_000).status).toBe(0);
    const others = cps.filter((n) => n !== holder);
    const newHolder = await eventually("another control plane takes the VIP", 120_000, () => others.find((n) => onNode(c, n, "ip -o -4 addr show").out.includes(` ${vip}/`)));
    expect(others).toContain(newHolder);
    // reads and a write (etcd needs its quorum of 2 for it) through the VIP
    await eventually("the API answers through the VIP", 180_000, () => (kubectl(c, ["get", "--raw", "/readyz"]).out.trim() === "ok" ? true : undefined));
    await eventually("a write succeeds with two of three etcd members", 180_000, () => (kubectl(c, ["-n", "default", "create", "configmap", `after-${holder}`, "--from-literal=k=v"]).status === 0 ? true : undefined));
    // and read back (a read in flight while the balancers notice the dead control plane may need its retry)
    const read = await eventually("the write reads back through the VIP", 120_000, () => {
      const r = kubectl(c, ["-n", "default", "get", "configmap", `after-${holder}`, "-o", "jsonpath={.data.k}"]);
      return r.status === 0 ? r.out : undefined;
    });
    expect(read).toBe("v");
    // the stopped control plane comes back (the next tests need every node)
    expect(run("podman", ["start", containerName(c.plan.cluster, holder!)], 120_000).status).toBe(0);
    await eventually(`${holder} is Ready again`, 600_000, () => (nodeReadiness(c).get(holder!) === "True" ? true : undefined));
    await eventually(`etcd on ${holder} runs again`, 600_000, () => (kubectl(c, ["-n", "kube-system", "get", "pod", `etcd-${holder}`, "-o", "jsonpath={.status.phase}"]).out === "Running" ? true : undefined));
  });

  it("5b. a restarted worker does not run kubeadm again (its bootstrap unit is skipped) and is Ready again", async () => {
    const w = "lab-worker-1";
    const log = onNode(c, w, "cat /var/lib/kubeseed/kubeadm.log").out;
    // a container's journal keeps the machine's boot id across restarts: read this boot's part by time
    const since = onNode(c, w, "date +%s").out.trim();
    expect(run("podman", ["restart", "-t", "20", containerName(c.plan.cluster, w)], 180_000).status).toBe(0);
    // the Node object may still say Ready from before the restart: wait for this boot's kubelet first
    const kubeletThisBoot = () => onNode(c, w, `journalctl --since @${Number(since) + 1} --no-pager -o cat -u kubelet | head -n 3`).out;
    await eventually(`${w}'s kubelet runs again`, 600_000, () => (onNode(c, w, "systemctl is-active kubelet").out.trim() === "active" && kubeletThisBoot().length > 0 ? true : undefined));
    await eventually(`${w} is Ready again`, 600_000, () => (nodeReadiness(c).get(w) === "True" && onNode(c, w, "systemctl is-system-running").out.trim().length > 0 ? true : undefined));
    expect(onNode(c, w, "systemctl show -p ConditionResult --value kubeseed-bootstrap.service").out.trim()).toBe("no");
    const thisBoot = onNode(c, w, `journalctl --since @${Number(since) + 1} -u kubeseed-bootstrap --no-pager -o cat`).out;
    expect(thisBoot).not.toMatch(/running kubeadm|bootstrapping/);
    expect(sha(onNode(c, w, "cat /var/lib/kubeseed/kubeadm.log").out)).toBe(sha(log));
    expect(bootstrapStatus(c, w).state).toBe("done");
  });

  it("5c. a bootstrap whose markers were lost asks the cluster, finds kubeadm finished and does not run it again", () => {
    const w = "lab-worker-1";
    const log = onNode(c, w, "cat /var/lib/kubeseed/kubeadm.log").out;
    expect(onNode(c, w, "rm /var/lib/kubeseed/kubeadm.done /var/lib/kubeseed/bootstrap.done && systemctl start kubeseed-bootstrap.service", 300_000).status).toBe(0);
    const journal = onNode(c, w, "journalctl -u kubeseed-bootstrap --no-pager -o cat -n 20").out;
    expect(journal).toMatch(/an earlier kubeadm run finished \(it left \/var\/lib\/kubelet\/config\.yaml.* and the cluster shows this node joined\): not running it again/);
    expect(bootstrapStatus(c, w)).toMatchObject({ state: "done" });
    expect(onNode(c, w, "test -e /var/lib/kubeseed/kubeadm.done && test -e /var/lib/kubeseed/bootstrap.done && echo both").out.trim()).toBe("both");
    expect(sha(onNode(c, w, "cat /var/lib/kubeseed/kubeadm.log").out)).toBe(sha(log));
  });

  it("5d. a worker booted only after the rest of the cluster is up still joins", () => {
    expect(nodeReadiness(c).has(LATE)).toBe(false);
    const out = clusterUpAgain(c, PROFILE);
    expect(out).toMatch(/is up \(5 nodes Ready/);
    expect(nodeReadiness(c).get(LATE)).toBe("True");
    expect(bootstrapStatus(c, LATE)).toMatchObject({ state: "done", role: "worker" });
    expect(onNode(c, LATE, "journalctl -u kubeseed-bootstrap --no-pager -o cat").out).toContain("[kubeadm] running kubeadm join");
    console.log(`e2e ha: memory with 5 nodes (MiB): ${JSON.stringify(memoryMiB(c))}`);
  });
  it("day two: kubeseed-renew-certs --force on a control plane renews its certificates with kubeadm, its kube-apiserver serves the new one, the CAs stay, the cluster stays Ready", async () => {
    const cp = "lab-cp-2";
    const address = c.plan.model.nodes.find((n) => n.name === cp)!.address;
    expect(onNode(c, cp, "systemctl is-enabled kubeseed-renew-certs.timer; systemctl is-active kubeseed-renew-certs.timer").out.trim().split("\n")).toEqual(["enabled", "active"]);
    const fileSha = (f: string) => onNode(c, cp, `sha256sum /etc/kubernetes/${f}`).out.split(" ")[0];
    const watched = ["pki/apiserver.crt", "pki/apiserver-kubelet-client.crt", "pki/etcd/server.crt", "pki/front-proxy-client.crt", "controller-manager.conf", "scheduler.conf"];
    const cas = ["pki/ca.crt", "pki/etcd/ca.crt", "pki/front-proxy-ca.crt", "pki/sa.pub"];
    const before = new Map([...watched, ...cas].map((f) => [f, fileSha(f)]));
    const r = onNode(c, cp, "kubeseed-renew-certs --force", 900_000);
    expect(r.status, r.out).toBe(0);
    expect(onNode(c, cp, "cat /var/lib/kubeseed/renewal").out).toMatch(/^state=renewed$/m);
    for (const f of watched) expect(fileSha(f), `${f} renewed`).not.toBe(before.get(f));
    for (const f of cas) expect(fileSha(f), `${f} kept`).toBe(before.get(f));
    // the restarted kube-apiserver serves the renewed certificate (seen from this machine, through the node network)
    const onDisk = run("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], 30_000, onNode(c, cp, "cat /etc/kubernetes/pki/apiserver.crt").out).out.trim();
    expect(onDisk).toMatch(/Fingerprint=/);
    await eventually(`${cp}'s kube-apiserver serves the renewed certificate`, 600_000, () => {
      const served = run("bash", ["-c", `openssl s_client -connect ${address}:6443 </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`], 30_000).out.trim();
      return served === onDisk ? true : undefined;
    });
    await eventually("every booted node is Ready after the renewal", 600_000, () => (booted().every((n) => nodeReadiness(c).get(n) === "True") ? true : undefined));
    expect(kubectl(c, ["get", "--raw", "/readyz"]).out.trim()).toBe("ok");
    // nothing is due any more: a run without --force leaves every file as it is
    const renewed = new Map(watched.map((f) => [f, fileSha(f)]));
    expect(onNode(c, cp, "kubeseed-renew-certs", 300_000).status).toBe(0);
    for (const f of watched) expect(fileSha(f), `${f} left alone`).toBe(renewed.get(f));
  }, 1_800_000);
});
