/**
 * How the rehearsal cluster makes, from source, every image and node package a profile's nodes ask for
 * (nothing can be pulled here), as DATA: an upstream image reference → the program(s) that go into it,
 * built by scripts/kube-bins.sh (the k8s.io/kubernetes module) or scripts/addon-bins.sh (the rest), and
 * the Kubernetes .deb packages of pkgs.k8s.io → the binaries and files they hold.
 * Every image is built from the source of the version its tag names, with one disclosed exception:
 * flannel's CNI plugin image (flannel-io/cni-plugin, which the Go module proxy does not serve) is built
 * from containernetworking/plugins v0.9.1 plugins/meta/flannel, the code flannel-io/cni-plugin was
 * split from; its OCI labels say so (README "Rehearse a profile locally").
 * Guarantees: pure; recipeFor returns undefined for an image the rehearsal cannot build.
 */

/** A program set: kube-bins (k8s.io/kubernetes at `version`) or addon-bins (NAME `version`). */
export interface Component {
  builder: "kube" | "addon";
  name: string;
  version: string;
}

/** What a built image holds: files from components, an optional Debian userland, and its config. */
export interface ImageRecipe {
  /** the programs: component → [binary in the build cache, path in the image] */
  files: { from: Component; binary: string; to: string }[];
  /** a small Debian 12 userland (iptables-nft, conntrack, a shell, coreutils) under the programs */
  userland?: "iptables" | "busybox";
  entrypoint?: string[];
  /** OCI labels; source and version of what was really built */
  labels: Record<string, string>;
}

const PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
export const IMAGE_ENV = [`PATH=${PATH_ENV}`];

const label = (source: string, version: string) => ({
  "org.opencontainers.image.source": source,
  "org.opencontainers.image.version": version,
  "io.kubeseed.rehearsal": "built from source by scripts/cluster-up.sh, for the rehearsal cluster only",
});

const kube = (version: string): Component => ({ builder: "kube", name: "kubernetes", version });
const addon = (name: string, version: string): Component => ({ builder: "addon", name, version });

/** Kubernetes images kubeadm runs with `command: [<binary>, …]`: the binary on PATH, as upstream. */
function kubeImage(binary: string, tag: string, userland?: ImageRecipe["userland"]): ImageRecipe {
  return { files: [{ from: kube(tag), binary, to: `/usr/local/bin/${binary}` }], userland, labels: label("https://github.com/kubernetes/kubernetes", tag) };
}

/** The recipe of an upstream image `registry/path:tag`, or undefined when it cannot be built here. */
export function recipeFor(registry: string, path: string, tag: string): ImageRecipe | undefined {
  const plain = tag.replace(/^v/, "");
  if (registry === "registry.k8s.io") {
    if (["kube-apiserver", "kube-controller-manager", "kube-scheduler"].includes(path)) return kubeImage(path, tag);
    if (path === "kube-proxy") return kubeImage(path, tag, "iptables");
    if (path === "etcd") {
      // registry.k8s.io/etcd tags add an image revision: 3.6.5-0 is etcd 3.6.5
      const v = plain.replace(/-\d+$/, "");
      const c = addon("etcd", v);
      return {
        files: ["etcd", "etcdctl", "etcdutl"].map((b) => ({ from: c, binary: b, to: `/usr/local/bin/${b}` })),
        labels: label("https://github.com/etcd-io/etcd", `v${v}`),
      };
    }
    if (path === "coredns/coredns") {
      return { files: [{ from: addon("coredns", plain), binary: "coredns", to: "/coredns" }], entrypoint: ["/coredns"], labels: label("https://github.com/coredns/coredns", `v${plain}`) };
    }
    if (path === "pause") {
      return { files: [{ from: addon("pause", plain), binary: "pause", to: "/pause" }], entrypoint: ["/pause"], labels: label("https://github.com/kubernetes/kubernetes/tree/master/build/pause", plain) };
    }
    return undefined;
  }
  if (registry === "ghcr.io" && path === "flannel-io/flannel") {
    return {
      files: [{ from: addon("flannel", plain), binary: "flanneld", to: "/opt/bin/flanneld" }],
      userland: "iptables",
      entrypoint: ["/opt/bin/flanneld"],
      labels: label("https://github.com/flannel-io/flannel", tag),
    };
  }
  if (registry === "ghcr.io" && path === "flannel-io/flannel-cni-plugin") {
    return {
      files: [{ from: addon("flannel-cni", FLANNEL_CNI_SOURCE_VERSION), binary: "flannel", to: "/flannel" }],
      userland: "busybox",
      entrypoint: ["/flannel"],
      labels: label("https://github.com/containernetworking/plugins/tree/v0.9.1/plugins/meta/flannel", `v${FLANNEL_CNI_SOURCE_VERSION} (stands in for ${tag}: flannel-io/cni-plugin is not served here)`),
    };
  }
  return undefined;
}

/** containernetworking/plugins release with plugins/meta/flannel (the last before v1.0.0 removed it). */
export const FLANNEL_CNI_SOURCE_VERSION = "0.9.1";

/**
 * pkgs.k8s.io's cri-tools and kubernetes-cni of a minor's repository, by minor: only the minors whose
 * whole set was built and booted here (add a row to rehearse another minor).
 */
const K8S_REPO_DEPENDENCIES: Readonly<Record<number, { criTools: string; cni: string }>> = {
  34: { criTools: "1.34.0", cni: "1.7.1" },
};

export const REHEARSAL_MINORS = Object.keys(K8S_REPO_DEPENDENCIES).map(Number);

/** One .deb as pkgs.k8s.io publishes it: name, version, what it depends on, and its files. */
export interface DebRecipe {
  name: string;
  version: string;
  depends: string;
  description: string;
  files: ({ from: Component; binary: string; to: string } | { text: string; to: string })[];
  /** the files of a whole component folder (kubernetes-cni: every plugin) */
  folder?: { from: Component; to: string };
  postinst?: string;
}

/** upstream kubelet.service (kubernetes/release packages), the unit the kubelet package installs */
const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

/** upstream 10-kubeadm.conf, the drop-in the kubeadm package installs */
const KUBEADM_DROPIN = `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
# the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

/** as the packages' debhelper snippets do: enable the unit, start nothing */
const ENABLE_KUBELET = `#!/bin/sh
set -e
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
  systemctl enable kubelet.service >/dev/null 2>&1 || true
fi
`;

/**
 * The five packages of pkgs.k8s.io that kubeseed-install-kubernetes pulls in for version `tag`
 * (v1.34.10) with the Debian version `debVersion` (1.34.10-1.1); undefined for a minor without a row.
 */
export function kubernetesDebs(tag: string, minor: number, debVersion: string): DebRecipe[] | undefined {
  const deps = K8S_REPO_DEPENDENCIES[minor];
  if (!deps) return undefined;
  const k = kube(tag);
  return [
    {
      name: "kubeadm",
      version: debVersion,
      depends: `cri-tools (>= ${deps.criTools})`,
      description: "Command-line utility for administering a Kubernetes cluster",
      files: [
        { from: k, binary: "kubeadm", to: "/usr/bin/kubeadm" },
        { text: KUBEADM_DROPIN, to: "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf" },
      ],
    },
    {
      name: "kubelet",
      version: debVersion,
      depends: `iptables (>= 1.4.21), kubernetes-cni (>= ${deps.cni}), iproute2, socat, util-linux, mount, ebtables, ethtool, conntrack`,
      description: "Node agent for Kubernetes clusters",
      files: [
        { from: k, binary: "kubelet", to: "/usr/bin/kubelet" },
        { text: KUBELET_UNIT, to: "/usr/lib/systemd/system/kubelet.service" },
      ],
      postinst: ENABLE_KUBELET,
    },
    { name: "kubectl", version: debVersion, depends: "", description: "Command-line utility for interacting with a Kubernetes cluster", files: [{ from: k, binary: "kubectl", to: "/usr/bin/kubectl" }] },
    {
      name: "cri-tools",
      version: `${deps.criTools}-1.1`,
      depends: "",
      description: "Command-line utility for interacting with a container runtime",
      files: [{ from: addon("cri-tools", deps.criTools), binary: "crictl", to: "/usr/bin/crictl" }],
    },
    {
      name: "kubernetes-cni",
      version: `${deps.cni}-1.1`,
      depends: "",
      description: "Binaries required to provision kubernetes container networking",
      files: [],
      folder: { from: addon("cni-plugins", deps.cni), to: "/opt/cni/bin" },
    },
  ];
}
