/**
 * Starts the first control plane of a generated cluster for real, in the init node's namespaces
 * (node-ns.ts: its /etc/kubernetes, its /etc/hosts, its private address and the endpoint's VIP on
 * the loopback of its own network), from the command lines of the static Pod manifests that
 * `kubeadm init phase etcd local | control-plane apiserver | control-plane controller-manager
 * --config <the node's config>` writes:
 * - etcd is Debian's etcd 3.4 (kube-apiserver 1.34 accepts it). kubeadm writes the flags of its etcd
 *   3.6 image; two are renamed to the 3.4 names kubeadm itself uses for etcd < 3.6
 *   (--feature-gates=InitialCorruptCheck=true → --experimental-initial-corrupt-check=true,
 *   --watch-progress-notify-interval → --experimental-watch-progress-notify-interval), and
 *   --data-dir moves to the scratch dir (/var/lib/etcd inside the namespace is still the host's);
 * - kube-apiserver and kube-controller-manager run their manifests' command lines verbatim;
 * - when the endpoint port differs from the apiserver's bindPort (a balancer on the VIP forwards to
 *   it), tcp-forward.mjs stands in for that balancer: a byte-level TCP forward from VIP:port to the
 *   node's address:bindPort, so TLS stays end to end.
 * Guarantees: resolves once kube-apiserver answers /readyz to super-admin.conf through the
 * endpoint's name; every process is started through DAEMONS (the caller stops them); it never
 * touches the host's /etc, ports or /var/lib/etcd.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join, resolve } from "node:path";
import { Daemons, waitFor, type Ran } from "../../support/proc.js";
import { NodeNamespace } from "./node-ns.js";
import { KUBEADM_CONFIG, manifestCommand, stageEtcKubernetes, type NodeFiles, type Output } from "./output.js";

export const FORWARDER = resolve(import.meta.dirname, "tcp-forward.mjs");

/**
 * kubeadm's etcd command line (written for its etcd 3.6 image) for Debian's etcd 3.4: the two flags
 * renamed to the 3.4 names kubeadm itself uses for etcd < 3.6, and --data-dir moved to `dataDir`.
 */
export function etcd34Args(args: string[], dataDir: string): string[] {
  return args.map((a) => {
    if (a.startsWith("--data-dir=")) return `--data-dir=${dataDir}`;
    if (a === "--feature-gates=InitialCorruptCheck=true") return "--experimental-initial-corrupt-check=true";
    return a.replace(/^--watch-progress-notify-interval=/, "--experimental-watch-progress-notify-interval=");
  });
}

export interface ControlPlaneBins {
  kubeadm: string;
  apiserver: string;
  controllerManager: string;
}

export interface ControlPlane {
  init: NodeFiles;
  ns: NodeNamespace;
  /** the init node's staged /etc/kubernetes (a scratch copy; manifests/ is added by kubeadm) */
  etc: string;
  /** controlPlaneEndpoint of the generated ClusterConfiguration */
  endpoint: { host: string; port: number };
  /** kubectl inside the control plane's namespaces */
  kubectl(kubeconfig: string, ...args: string[]): Ran;
  /**
   * Stops etcd, kube-apiserver and kube-controller-manager and starts them again with the same command
   * lines, as the kubelet restarts static Pods (the controller manager first stopped, last started: it
   * exits when the apiserver goes away), waiting for /readyz before the controller manager.
   */
  restart(): Promise<void>;
}

export function hostPort(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(":");
  return { host: endpoint.slice(0, i), port: Number(endpoint.slice(i + 1)) };
}

/** The address of NAME in a hosts(5) file: the first line that lists it, as glibc reads it. */
export function resolveInHosts(hostsFile: string, name: string): string {
  for (const line of readFileSync(hostsFile, "utf8").split("\n")) {
    const [addr, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (addr && names.includes(name)) return addr;
  }
  throw new Error(`${name} is not in ${hostsFile}`);
}

export async function startControlPlane(daemons: Daemons, o: Output, bins: ControlPlaneBins): Promise<ControlPlane> {
  const init = o.node("init");
  const scratch = o.scratch(init.name);
  const home = join(scratch, "home");
  mkdirSync(home);
  const etc = stageEtcKubernetes(init, join(scratch, "etc-kubernetes"));
  const hosts = join(init.root, "etc/hosts");
  const local = init.doc("InitConfiguration").localAPIEndpoint as { advertiseAddress: string; bindPort: number };
  const endpoint = hostPort(init.doc("ClusterConfiguration").controlPlaneEndpoint);
  const endpointIP = isIP(endpoint.host) ? endpoint.host : resolveInHosts(hosts, endpoint.host);
  const ns = await NodeNamespace.create(daemons, { name: init.name, scratch, etcKubernetes: etc, hosts, addresses: [...new Set([local.advertiseAddress, endpointIP])] });
  const kubectl = (kubeconfig: string, ...args: string[]) =>
    ns.run("kubectl", ["--kubeconfig", kubeconfig, "--request-timeout=20s", ...args], { env: { PATH: process.env.PATH, HOME: home }, timeoutMs: 40_000 });

  const manifest = (phase: string[], file: string) => {
    const r = ns.run(bins.kubeadm, ["init", "phase", ...phase, "--config", KUBEADM_CONFIG], { timeoutMs: 60_000 });
    if (r.status !== 0) throw new Error(`kubeadm init phase ${phase.join(" ")} failed:\n${r.out}`);
    return manifestCommand(join(etc, "manifests", file));
  };
  const etcd = manifest(["etcd", "local"], "etcd.yaml");
  const apiserver = manifest(["control-plane", "apiserver"], "kube-apiserver.yaml");
  const controllerManager = manifest(["control-plane", "controller-manager"], "kube-controller-manager.yaml");

  const commands: Record<"etcd" | "kube-apiserver" | "kube-controller-manager", [string, string[]]> = {
    etcd: ["etcd", etcd34Args(etcd.slice(1), join(scratch, "etcd-data"))],
    "kube-apiserver": [bins.apiserver, apiserver.slice(1)],
    "kube-controller-manager": [bins.controllerManager, controllerManager.slice(1)],
  };
  ns.start("etcd", ...commands.etcd);
  ns.start("kube-apiserver", ...commands["kube-apiserver"]);
  if (endpoint.port !== local.bindPort) ns.start("endpoint-forwarder", process.execPath, [FORWARDER, endpointIP, String(endpoint.port), local.advertiseAddress, String(local.bindPort)]);

  const ready = async () => {
    let last: Ran | undefined;
    await waitFor(
      "kube-apiserver ready through the endpoint",
      () => {
        const dead = daemons.exited();
        if (dead.length) throw new Error(dead.join("\n"));
        last = kubectl(join(o.out, "kubeconfigs/super-admin.conf"), "get", "--raw", "/readyz");
        return last.status === 0 ? true : undefined;
      },
      90_000,
      () => `${last?.out}\n${daemons.exited().join("\n")}`,
    );
  };
  await ready();
  ns.start("kube-controller-manager", ...commands["kube-controller-manager"]);
  const restart = async () => {
    for (const name of ["kube-controller-manager", "kube-apiserver", "etcd"] as const) await daemons.stop(name);
    for (const name of ["etcd", "kube-apiserver"] as const) ns.start(name, ...commands[name]);
    await ready();
    ns.start("kube-controller-manager", ...commands["kube-controller-manager"]);
  };
  return { init, ns, etc, endpoint, kubectl, restart };
}
