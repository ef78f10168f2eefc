/**
 * User-data size limits of the clouds kubeseed knows, as DATA (STYLE rule 9), from
 * ../shared/reference/cloud-init.md §8. `limit` applies to the raw bytes, or to their base64 text where
 * the API counts that (`measure`); `binary` says whether the cloud takes gzip-compressed (binary)
 * user-data, which cloud-init detects by its magic bytes.
 * Guarantees: pure data; `none` has no limit.
 */
export const CLOUD_IDS = ["none", "aws", "hetzner", "azure", "digitalocean", "openstack", "gcp"] as const;
export type CloudId = (typeof CLOUD_IDS)[number];

export interface CloudLimit {
  limit: number;
  measure: "raw" | "base64";
  binary: boolean;
  /** how the limit is described to the user */
  label: string;
}

export const CLOUD_LIMITS: Readonly<Record<CloudId, CloudLimit>> = {
  none: { limit: Number.POSITIVE_INFINITY, measure: "raw", binary: true, label: "no cloud limit" },
  aws: { limit: 16_384, measure: "raw", binary: true, label: "AWS EC2 user data (16,384 bytes raw)" },
  hetzner: { limit: 32_768, measure: "raw", binary: true, label: "Hetzner Cloud user_data (32 KiB)" },
  azure: { limit: 65_535, measure: "raw", binary: true, label: "Azure customData (64 KB)" },
  digitalocean: { limit: 65_536, measure: "raw", binary: false, label: "DigitalOcean user_data (64 KiB, plain text only)" },
  openstack: { limit: 65_535, measure: "base64", binary: true, label: "OpenStack Nova user_data (65,535 bytes of base64)" },
  gcp: { limit: 262_144, measure: "raw", binary: false, label: "Google Cloud metadata value (256 KiB, text)" },
};

/** The size the cloud counts: raw bytes, or the length of their base64 text. */
export function countedSize(bytes: number, measure: CloudLimit["measure"]): number {
  return measure === "raw" ? bytes : Math.ceil(bytes / 3) * 4;
}
