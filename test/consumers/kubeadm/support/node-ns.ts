/**
 * A stand-in for one node, made of Linux namespaces (run as root): kubeadm's kubeconfig folder is
 * hard-coded to /etc/kubernetes, so each "node" gets its own mount namespace in which
 * - /etc is an overlay over the host's /etc (writes land in the scratch dir, never on the host; it
 *   also provides the /etc/kubernetes mount point the host may not have),
 * - /etc/kubernetes is a bind mount of a scratch copy of the node tree's etc/kubernetes,
 * - /etc/hosts is the node's generated /etc/hosts (so the endpoint's DNS name resolves as on the node),
 * - other host directories (`overlays`, e.g. /var/lib) are overlaid like /etc when a test writes there,
 * - /var/log is an overlay too (kube-apiserver's audit log lands in the scratch dir, never in the host's),
 * and, unless it shares another node's network, its own network namespace whose loopback carries the
 * node's private address and the endpoint's VIP: every program then uses the generated addresses and
 * the real ports (6443, 2379, …) with nothing rewritten and nothing exposed on the host.
 * A `sleep` holds the namespaces; commands enter them with nsenter.
 * Guarantees: the host's /etc, network and ports are untouched; `stop` (via the Daemons it was given)
 * ends the holder and with it the namespaces once the last process inside has exited.
 */
import { mkdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { Daemons, run, runAsync, waitFor, type Ran, type RunOptions } from "../../support/proc.js";

export interface NodeNsOptions {
  /** label for daemons and logs */
  name: string;
  /** scratch directory of this namespace (overlay upper/work dirs, logs) */
  scratch: string;
  /** directory bind-mounted on /etc/kubernetes */
  etcKubernetes: string;
  /** file bind-mounted on /etc/hosts */
  hosts?: string;
  /** addresses put on the loopback of a new network namespace */
  addresses?: string[];
  /** share this namespace's network instead of creating one */
  network?: NodeNamespace;
  /** host directories overlaid like /etc (writes land in the scratch dir), e.g. /var/lib for a script's state */
  overlays?: string[];
}

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export class NodeNamespace {
  private constructor(
    readonly name: string,
    readonly pid: number,
    private readonly daemons: Daemons,
    private readonly scratch: string,
  ) {}

  static async create(daemons: Daemons, o: NodeNsOptions): Promise<NodeNamespace> {
    for (const d of ["overlay/upper", "overlay/work", "log-overlay/upper", "log-overlay/work"]) mkdirSync(join(o.scratch, d), { recursive: true });
    const unshare = ["unshare", "--mount", "--propagation", "private", ...(o.network ? [] : ["--net"]), "sleep", "infinity"];
    const [cmd, ...args] = o.network ? ["nsenter", `--net=/proc/${o.network.pid}/ns/net`, ...unshare] : unshare;
    const holder = daemons.start(`${o.name}-ns`, cmd, args, join(o.scratch, "ns.log"));
    const pid = holder.pid;
    if (!pid) throw new Error(`${o.name}: could not start ${cmd}`);
    const own = readlinkSync("/proc/self/ns/mnt");
    await waitFor(`${o.name}: mount namespace`, () => (readlinkSync(`/proc/${pid}/ns/mnt`) !== own ? true : undefined), 5_000, () => daemons.exited().join("\n"), 20);
    const ns = new NodeNamespace(o.name, pid, daemons, o.scratch);
    const setup = [
      ...(o.network ? [] : ["ip link set lo up", ...(o.addresses ?? []).map((a) => `ip addr add ${q(a)}/32 dev lo`)]),
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${q(join(o.scratch, "overlay/upper"))},workdir=${q(join(o.scratch, "overlay/work"))} /etc`,
      `mount -t overlay overlay -o lowerdir=/var/log,upperdir=${q(join(o.scratch, "log-overlay/upper"))},workdir=${q(join(o.scratch, "log-overlay/work"))} /var/log`,
      ...(o.overlays ?? []).map((dir, i) => {
        const up = join(o.scratch, `overlay-${i}`);
        return `mkdir -p ${q(`${up}/upper`)} ${q(`${up}/work`)} && mount -t overlay overlay -o lowerdir=${q(dir)},upperdir=${q(`${up}/upper`)},workdir=${q(`${up}/work`)} ${q(dir)}`;
      }),
      "mkdir -p /etc/kubernetes",
      `mount --bind ${q(o.etcKubernetes)} /etc/kubernetes`,
      ...(o.hosts ? [`mount --bind ${q(o.hosts)} /etc/hosts`] : []),
    ].join(" && ");
    const r = ns.run("sh", ["-euc", setup]);
    if (r.status !== 0) throw new Error(`${o.name}: namespace set-up failed (${r.status}):\n${r.out}`);
    return ns;
  }

  /** Where a file the namespace wrote under /var/log lies on the host (the overlay's upper dir). */
  varLog(rel: string): string {
    return join(this.scratch, "log-overlay/upper", rel);
  }

  private enter(): string[] {
    return ["-t", String(this.pid), "--mount", "--net", "--"];
  }

  /** Runs CMD inside the namespaces (synchronously, time-bounded). */
  run(cmd: string, args: string[], opts: RunOptions = {}): Ran {
    return run("nsenter", [...this.enter(), cmd, ...args], opts);
  }

  runAsync(cmd: string, args: string[], opts: RunOptions = {}): Promise<Ran> {
    return runAsync("nsenter", [...this.enter(), cmd, ...args], opts);
  }

  /** Starts a daemon inside the namespaces (nsenter execs it: the pid is the daemon's own). */
  start(name: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
    const log = join(this.scratch, `${name}.log`);
    this.daemons.start(name, "nsenter", [...this.enter(), cmd, ...args], log, env);
    return log;
  }
}
