/**
 * The control planes' certificate renewal files: golden files of the script, its service, its timer and
 * kubeadm's renew.yaml; the script through the real `bash -n` and `shellcheck`; the units through the
 * real `systemd-analyze verify` (the service pointed at a real executable so that its ExecStart check
 * runs too; a broken timer is refused); the plan places them on control planes only, and first boot
 * enables the timer exactly there. The script's runs are in script-run.test.ts, the real kubeadm run in
 * test/consumers/kubeadm/renewal.test.ts.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { planCluster } from "../../../generator/plan/plan.js";
import { firstBootCommands } from "../../../generator/render/cloud-init/runcmd.js";
import { renderRenewConfig } from "../../../generator/render/renewal/config.js";
import { watchedFiles, renderRenewScript } from "../../../generator/render/renewal/script.js";
import { renderRenewService, renderRenewTimer } from "../../../generator/render/renewal/units.js";
import { haModel, inputFor } from "../bootstrap/support.js";

const model = haModel();
const RENEWAL_FILES = ["/usr/local/sbin/kubeseed-renew-certs", "/etc/systemd/system/kubeseed-renew-certs.service", "/etc/systemd/system/kubeseed-renew-certs.timer", "/etc/kubernetes/kubeadm/renew.yaml"];

function tool(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** systemd-analyze verify of the service (ExecStart at a real executable) and the timer, side by side. */
function verifyUnits(timer: string): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "ks-renew-units-"));
  const script = join(dir, "kubeseed-renew-certs");
  writeFileSync(script, renderRenewScript(inputFor(model, "cp-1")));
  chmodSync(script, 0o755);
  writeFileSync(join(dir, "kubeseed-renew-certs.service"), renderRenewService(script));
  writeFileSync(join(dir, "kubeseed-renew-certs.timer"), timer);
  return tool("systemd-analyze", ["verify", "--man=no", join(dir, "kubeseed-renew-certs.service"), join(dir, "kubeseed-renew-certs.timer")]);
}

describe("kubeseed-renew-certs and its units", () => {
  it("match their golden files", async () => {
    await expect(renderRenewScript(inputFor(model, "cp-2"))).toMatchFileSnapshot("golden/kubeseed-renew-certs");
    await expect(renderRenewService("/usr/local/sbin/kubeseed-renew-certs")).toMatchFileSnapshot("golden/kubeseed-renew-certs.service");
    await expect(renderRenewTimer()).toMatchFileSnapshot("golden/kubeseed-renew-certs.timer");
    await expect(renderRenewConfig(inputFor(model, "cp-2"))).toMatchFileSnapshot("golden/renew.yaml");
  });

  it.each(["cp-1", "cp-2"])("%s: the script passes bash -n and shellcheck", (name) => {
    const dir = mkdtempSync(join(tmpdir(), "ks-renew-"));
    const file = join(dir, "kubeseed-renew-certs");
    writeFileSync(file, renderRenewScript(inputFor(model, name)));
    expect(tool("bash", ["-n", file])).toMatchObject({ status: 0 });
    const sc = tool("shellcheck", ["-s", "bash", file]);
    expect(sc.out).toBe("");
    expect(sc.status).toBe(0);
  });

  it("watches super-admin.conf on the init node only, and every leaf kubeadm renews", () => {
    expect(watchedFiles(inputFor(model, "cp-1"))).toContain("kubeconfig:super-admin.conf");
    expect(watchedFiles(inputFor(model, "cp-2"))).not.toContain("kubeconfig:super-admin.conf");
    expect(watchedFiles(inputFor(model, "cp-2"))).toEqual([
      ...["apiserver", "apiserver-kubelet-client", "front-proxy-client", "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client"].map((f) => `pem:pki/${f}.crt`),
      ...["admin", "controller-manager", "scheduler"].map((f) => `kubeconfig:${f}.conf`),
    ]);
  });

  it("systemd-analyze verify accepts the service and the timer, and refuses a broken timer", () => {
    const ok = verifyUnits(renderRenewTimer());
    expect(ok.out).toBe("");
    expect(ok.status).toBe(0);
    const bad = verifyUnits(renderRenewTimer().replace("OnCalendar=daily", "OnCalendar=every-day"));
    expect(bad.status).not.toBe(0);
    expect(bad.out).toMatch(/Failed to parse calendar specification/);
  });

  it("the timer runs daily at a fixed random moment per node, catching up missed runs", () => {
    const lines = renderRenewTimer().split("\n");
    for (const l of ["OnCalendar=daily", "RandomizedDelaySec=6h", "FixedRandomDelay=yes", "Persistent=yes", "WantedBy=timers.target"]) expect(lines).toContain(l);
    expect(renderRenewService("/opt/bin/kubeseed-renew-certs").split("\n")).toEqual(
      expect.arrayContaining(["Type=oneshot", "ExecStart=/opt/bin/kubeseed-renew-certs", "ConditionPathExists=/var/lib/kubeseed/bootstrap.done"]),
    );
  });

  it("renew.yaml is kubeadm join's view of the node: its registration and endpoint, the cluster configuration, no token", () => {
    const docs = parseAllDocuments(renderRenewConfig(inputFor(model, "cp-2"))).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(["InitConfiguration", "ClusterConfiguration"]);
    expect(docs[0].localAPIEndpoint).toEqual({ advertiseAddress: "192.168.1.12", bindPort: 6443 });
    expect(docs[0].nodeRegistration.name).toBe("cp-2");
    expect(docs[0].bootstrapTokens).toBeUndefined();
    expect(docs[1]).toMatchObject({ certificateValidityPeriod: "8760h", encryptionAlgorithm: "ECDSA-P256" });
  });

  it("the plan gives the four files to every control plane and none to workers; first boot enables the timer there", () => {
    const plan = planCluster(model);
    for (const n of plan.nodes) {
      const files = n.files.filter((f) => RENEWAL_FILES.includes(f.path));
      const enables = firstBootCommands(model, n.node).some((c) => c.join(" ") === "systemctl enable --now kubeseed-renew-certs.timer");
      if (n.node.role === "control-plane") {
        expect(files.map((f) => [f.path, f.mode.toString(8), f.sensitive])).toEqual([
          ["/etc/kubernetes/kubeadm/renew.yaml", "644", false],
          ["/etc/systemd/system/kubeseed-renew-certs.service", "644", false],
          ["/etc/systemd/system/kubeseed-renew-certs.timer", "644", false],
          ["/usr/local/sbin/kubeseed-renew-certs", "755", false],
        ]);
        expect(enables).toBe(true);
      } else {
        expect(files).toEqual([]);
        expect(enables).toBe(false);
      }
    }
  });
});
