/**
 * The rehearsal's containers: the registry host and one container per node, started with podman's CLI
 * (testcontainers' API cannot express these flags) and labelled io.kubeseed.rehearsal=<cluster>.
 * A node container is a machine booting: systemd as PID 1 (`--systemd=false`: podman must not set up
 * its own systemd mode, which breaks the kubelet's cgroups here), privileged (a node owns its kernel
 * settings, iptables and mounts), its own cgroup namespace, tmpfs /run and /tmp, podman's /etc/hosts
 * left out (cloud-init writes the node's own), the node's NoCloud seed (the files of its generated
 * seed.iso) where cloud-init's NoCloud datasource looks for a seed directory, and /var/lib/containerd
 * and /var/lib/kubelet on folders of the work directory (containerd's snapshots do not work on the
 * container's overlay root). Its NICs: the private network as the profile's interface (eth1), and the
 * public network as the public interface when the profile keeps one.
 * Guarantees: never passes anything to a node but its seed; a running container is left as it is.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ClusterModel } from "../../generator/model/types.js";
import { LABEL, type Networks } from "./network.js";
import { attempt, must } from "./proc.js";

export const containerName = (cluster: string, node: string) => `ks-${cluster}-${node}`;
export const registryName = (cluster: string) => `ks-${cluster}-registry`;

const exists = (name: string) => attempt("podman", ["container", "exists", name]).status === 0;
const isRunning = (name: string) => attempt("podman", ["inspect", "--format", "{{.State.Running}}", name]).stdout.trim() === "true";

/**
 * The registry host at the profile's registry address: Debian's docker-registry with the generated
 * config.yml and TLS files where config.yml names them, and busybox httpd serving the package tree
 * (mirror.sh push-packages' destination) at the packages port and path.
 */
export function startRegistry(cluster: string, model: ClusterModel, nets: Networks, image: string, output: string, workdir: string): string {
  const name = registryName(cluster);
  if (exists(name)) {
    if (!isRunning(name)) must("podman", ["start", name]);
    return name;
  }
  const r = model.registry;
  const storage = join(workdir, "registry-storage");
  const www = join(workdir, "www");
  mkdirSync(storage, { recursive: true });
  mkdirSync(join(www, r.packages.path), { recursive: true });
  const script = [
    "set -e",
    `ip addr add ${r.address}/${model.network.prefix} dev eth1`,
    "ip link set eth1 up",
    `httpd -p ${r.packages.port} -h /srv/www`,
    "exec docker-registry serve /etc/docker/registry/config.yml",
  ].join("\n");
  must("podman", [
    "run", "-d", "--name", name, "--label", `${LABEL}=${cluster}`,
    "--cap-add", "NET_ADMIN", "--network", `${nets.private.name}:interface_name=eth1`, "--no-hosts",
    "-v", `${join(output, "registry/config.yml")}:/etc/docker/registry/config.yml:ro`,
    "-v", `${join(output, "registry/tls")}:/etc/docker/registry/tls:ro`,
    "-v", `${storage}:/var/lib/docker-registry`,
    "-v", `${join(workdir, "srv")}:/srv/www${r.packages.path}:ro`,
    image, "sh", "-c", script,
  ]);
  return name;
}

export function startNode(cluster: string, node: string, model: ClusterModel, nets: Networks, image: string, workdir: string): string {
  const name = containerName(cluster, node);
  if (exists(name)) {
    if (!isRunning(name)) must("podman", ["start", name]);
    return name;
  }
  const state = join(workdir, "nodes", node);
  for (const d of ["containerd", "kubelet"]) mkdirSync(join(state, d), { recursive: true });
  const networks = ["--network", `${nets.private.name}:interface_name=${model.network.interface}`];
  if (nets.public && model.network.publicInterface) networks.push("--network", `${nets.public.name}:interface_name=${model.network.publicInterface}`);
  must("podman", [
    "run", "-d", "--name", name, "--label", `${LABEL}=${cluster}`,
    "--privileged", "--systemd=false", "--cgroupns=private",
    "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",
    "-e", "container=podman", "--stop-signal", "SIGRTMIN+3", "--no-hosts",
    ...networks,
    "-v", `${join(workdir, "seeds", node)}:/var/lib/cloud/seed/nocloud:ro`,
    "-v", `${join(state, "containerd")}:/var/lib/containerd`,
    "-v", `${join(state, "kubelet")}:/var/lib/kubelet`,
    image, "/sbin/init",
  ]);
  return name;
}

/** A command's output inside a container (`sh -c`), or undefined when it failed. */
export function inNode(name: string, command: string, timeoutMs = 30_000): string | undefined {
  const r = attempt("podman", ["exec", name, "sh", "-c", command], { timeoutMs });
  return r.status === 0 ? r.stdout : undefined;
}

/** The node's /var/lib/kubeseed/status as key → value. */
export function bootstrapStatus(name: string): Record<string, string> {
  const text = inNode(name, "cat /var/lib/kubeseed/status 2>/dev/null") ?? "";
  return Object.fromEntries(text.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/** Removes every container of the cluster. */
export function removeContainers(cluster: string): string[] {
  const ids = must("podman", ["ps", "-a", "--filter", `label=${LABEL}=${cluster}`, "--format", "{{.Names}}"]).split("\n").filter(Boolean);
  if (ids.length) attempt("podman", ["rm", "-f", "-t", "5", ...ids], { timeoutMs: 300_000 });
  return ids;
}
