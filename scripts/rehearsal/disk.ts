/**
 * The disk preflight of cluster-up: every node's kubelet measures the host's filesystem (the node
 * containers' layers and their containerd images live in podman's storage), and evicts Pods once less
 * than 15 % of it is free (the kubelet's default hard threshold imagefs.available<15%; nodefs is 10 %).
 * A cluster started below that never becomes Ready: its Pods are evicted over and over. cluster-up
 * therefore refuses to start unless the free space stays above the threshold with room for what the
 * boot itself adds (each node's unpacked images, about GROWTH_PER_NODE).
 * Guarantees: `diskProblem` is pure (the figures come from statfs in the caller).
 */
export const EVICTION_FREE_SHARE = 0.15;
export const GROWTH_PER_NODE = 1.5 * 2 ** 30;

export interface DiskFigures {
  path: string;
  /** bytes available to the caller */
  available: number;
  /** bytes of the whole filesystem */
  total: number;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/** Why NODES nodes cannot boot on this filesystem, or null when they can. */
export function diskProblem(disk: DiskFigures, nodes: number): string | null {
  const needed = EVICTION_FREE_SHARE * disk.total + nodes * GROWTH_PER_NODE;
  if (disk.available >= needed) return null;
  return (
    `cluster-up: ${disk.path} has ${gib(disk.available)} free of ${gib(disk.total)}; ${nodes} nodes need ${gib(needed)} ` +
    `(the kubelet evicts Pods below ${EVICTION_FREE_SHARE * 100} % free, plus about ${gib(GROWTH_PER_NODE)} per node for its images). ` +
    `Free ${gib(needed - disk.available)} first: old rehearsals (scripts/cluster-down.sh), podman image prune, /tmp and /var/tmp leftovers.`
  );
}
