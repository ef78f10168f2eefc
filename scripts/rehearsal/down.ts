/**
 * scripts/cluster-down.sh CLUSTER [--workdir DIR] [--keep-workdir]
 *
 * Removes what cluster-up made for CLUSTER (metadata.name): every container and network labelled
 * io.kubeseed.rehearsal=CLUSTER, the bridges under them, the DHCP server of the public network, and the
 * work directory (default /var/tmp/kubeseed-rehearsal/CLUSTER) unless --keep-workdir. The build caches
 * stay. Exit 0 also when there was nothing to remove.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { removeNetworks, restoreHostSettings, stopDhcp } from "./network.js";
import { removeContainers } from "./nodes.js";
import { RehearsalError, say } from "./proc.js";

const USAGE = "usage: scripts/cluster-down.sh CLUSTER [--workdir DIR] [--keep-workdir]";

export async function clusterDown(argv: string[], cwd: string): Promise<number> {
  let cluster = "";
  let workdir: string | undefined;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--workdir" && i + 1 < argv.length) workdir = argv[++i];
    else if (argv[i] === "--keep-workdir") keep = true;
    else if (!argv[i].startsWith("-") && !cluster) cluster = argv[i];
    else throw new RehearsalError(USAGE);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster)) throw new RehearsalError(USAGE);
  const dir = resolve(cwd, workdir ?? join("/var/tmp/kubeseed-rehearsal", cluster));
  const state = join(dir, "rehearsal.json");
  const settings = existsSync(state) ? (JSON.parse(readFileSync(state, "utf8")) as { hostSettings?: Record<string, string> }).hostSettings : undefined;
  const removed = removeContainers(cluster);
  say(`removed ${removed.length} containers`, "cluster-down");
  stopDhcp(dir);
  removeNetworks(cluster);
  restoreHostSettings(settings);
  if (!keep && existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    say(`removed ${dir}`, "cluster-down");
  }
  return 0;
}
