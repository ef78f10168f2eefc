/**
 * Encryption-at-rest configuration for kube-apiserver (--encryption-provider-config), seed 002.
 * secretbox (XSalsa20-Poly1305, 32-byte key) is the local provider the Kubernetes docs recommend over
 * aescbc; identity stays last so data written before encryption was enabled can still be read.
 */
import { yamlDocument } from "./yaml.js";

export const ENCRYPTION_KEY_NAME = "kubeseed-1";

export function renderEncryptionConfig(keyBase64: string): string {
  return yamlDocument({
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "EncryptionConfiguration",
    resources: [
      {
        resources: ["secrets"],
        providers: [{ secretbox: { keys: [{ name: ENCRYPTION_KEY_NAME, secret: keyBase64 }] } }, { identity: {} }],
      },
    ],
  });
}
