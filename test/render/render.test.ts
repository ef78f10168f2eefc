import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderEncryptionConfig } from "../../generator/render/encryption-config.js";
import { renderJoinInfo } from "../../generator/render/join-info.js";
import { renderKubeconfig } from "../../generator/render/kubeconfig.js";

const PEM = (label: string) => `-----BEGIN ${label}-----\nPLACEHOLDER\n-----END ${label}-----\n`;

describe("renderers (golden files)", () => {
  it("renders a client-certificate kubeconfig in kubeadm's layout", async () => {
    const text = renderKubeconfig({
      clusterName: "kubernetes",
      server: "https://k8s-api.prod.internal:6443",
      caCertPem: PEM("CERTIFICATE"),
      userName: "kubernetes-admin",
      clientCertPem: PEM("CERTIFICATE"),
      clientKeyPem: PEM("EC PRIVATE KEY"),
    });
    await expect(text).toMatchFileSnapshot("golden/admin.conf");
    const doc = parse(text);
    expect(doc["current-context"]).toBe("kubernetes-admin@kubernetes");
    expect(Buffer.from(doc.users[0].user["client-key-data"], "base64").toString()).toBe(PEM("EC PRIVATE KEY"));
  });

  it("renders a bootstrap-token kubeconfig with the token and no client certificate", async () => {
    const text = renderKubeconfig({
      clusterName: "kubernetes",
      server: "https://192.168.1.10:6443",
      caCertPem: PEM("CERTIFICATE"),
      userName: "tls-bootstrap-token-user",
      token: "abcdef.0123456789abcdef",
    });
    await expect(text).toMatchFileSnapshot("golden/bootstrap-kubelet.conf");
    expect(parse(text).users[0].user).toEqual({ token: "abcdef.0123456789abcdef" });
  });

  it("renders the encryption config with secretbox first and identity last", async () => {
    const text = renderEncryptionConfig("c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=");
    await expect(text).toMatchFileSnapshot("golden/encryption-config.yaml");
    const providers = parse(text).resources[0].providers;
    expect(Object.keys(providers[0])).toEqual(["secretbox"]);
    expect(providers.at(-1)).toEqual({ identity: {} });
  });

  it("renders join info without any secret", async () => {
    const text = renderJoinInfo({ apiServerEndpoint: "k8s-api.prod.internal:6443", caCertHashes: ["sha256:" + "ab".repeat(32)], tokenId: "abcdef", kubernetesVersion: "v1.33.5" });
    await expect(text).toMatchFileSnapshot("golden/join-info.yaml");
    expect(text).not.toMatch(/token-secret|\.[a-z0-9]{16}/);
  });
});
