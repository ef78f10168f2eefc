/**
 * containerd's /etc/containerd/config.toml and crictl's /etc/crictl.yaml.
 * The config is the version 2 layout read by containerd 1.6 (Debian 12's package) and 1.7: the runc
 * runtime under the systemd cgroup driver (kubeadm configures the kubelet with cgroupDriver: systemd,
 * both must agree), the pause image of the cluster's Kubernetes version, CNI where flannel and the
 * kubernetes-cni package put it (Debian's own default, /usr/lib/cni, holds no flannel plugin), and
 * registry hosts read from /etc/containerd/certs.d/<host>/hosts.toml.
 * Guarantees: pure; the whole file (containerd's built-in defaults apply to everything not named).
 * It does not support containerd 2.x's version 3 layout (see the note in the file).
 */
import { clusterImages, imageRef } from "../../model/images.js";
import { CERTS_D } from "../../plan/registry.js";
import type { NodeRenderInput } from "../node-input.js";
import { GENERATED_HEADER } from "../../core/generated.js";

export const CONTAINERD_SOCKET = "unix:///run/containerd/containerd.sock";
const CRI = `plugins."io.containerd.grpc.v1.cri"`;

/** The pause image of the model's version (kubeadm's list in model/images.ts), as imageRef renders it. */
export function sandboxImage(input: NodeRenderInput): string {
  const pause = clusterImages(input.model).find((i) => i.source.path === "pause");
  if (!pause) throw new Error("internal: kubeadm's image list has no pause image");
  return imageRef(input.model, pause.source);
}

export function renderContainerdConfig(input: NodeRenderInput): string {
  return `${GENERATED_HEADER}# containerd 1.6/1.7 layout. containerd 2.x wants version = 3, where the CRI settings move to
# plugins."io.containerd.cri.v1.runtime" and plugins."io.containerd.cri.v1.images" (sandbox image
# under pinned_images); this file has to be rewritten for it.
version = 2

[${CRI}]
  sandbox_image = "${sandboxImage(input)}"

  [${CRI}.containerd]
    default_runtime_name = "runc"

    [${CRI}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [${CRI}.containerd.runtimes.runc.options]
        SystemdCgroup = true

  [${CRI}.cni]
    bin_dir = "/opt/cni/bin"
    conf_dir = "/etc/cni/net.d"

  [${CRI}.registry]
    config_path = "${CERTS_D}"
`;
}

export function renderCrictlConfig(): string {
  return `${GENERATED_HEADER}runtime-endpoint: ${CONTAINERD_SOCKET}
image-endpoint: ${CONTAINERD_SOCKET}
timeout: 10
`;
}
