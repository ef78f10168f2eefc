/**
 * What each cloud accepts as user-data, as DATA (STYLE rule 9), every row with the source of its limit.
 * Per cloud: the limit, what it counts (the bytes the instance receives, their base64 text, or the text
 * you upload), and how a gzip-compressed document reaches cloud-init there:
 * - "bytes": the field takes binary data (the API carries it base64-encoded; the provider's CLI or SDK
 *   encodes the file for you), and cloud-init recognises gzip by its magic bytes;
 * - "base64": the field takes text only, but cloud-init's datasource for that cloud base64-decodes it
 *   (Hetzner always tries, cloudinit/sources/helpers/hetzner.py maybe_b64decode; Google Cloud when the
 *   metadata key `user-data-encoding` is `base64`, cloudinit/sources/DataSourceGCE.py), so the upload
 *   is the base64 text of the gzip, on one line, and that text is what the limit counts;
 * - "no": text only and nothing decodes it (DigitalOcean): the document must fit as plain text.
 * Guarantees: pure data; `none` has no limit. Does not: say how to upload (messages.ts, keyed by id).
 */
export const CLOUD_IDS = ["none", "aws", "hetzner", "azure", "digitalocean", "openstack", "gcp"] as const;
export type CloudId = (typeof CLOUD_IDS)[number];

export interface CloudLimit {
  limit: number;
  /**
   * what the limit counts: "bytes" = the bytes the instance receives (before the API's own base64),
   * "base64" = the length of their base64 encoding (ceil(n/3)*4), "text" = the text as uploaded
   */
  counts: "bytes" | "base64" | "text";
  /** how gzip-compressed user-data reaches cloud-init (see the file comment) */
  gzip: "bytes" | "base64" | "no";
  /** how the limit is described to the user */
  label: string;
  /** where the limit and the encoding rules are documented */
  source: string;
}

export const CLOUD_LIMITS: Readonly<Record<CloudId, CloudLimit>> = {
  none: { limit: Number.POSITIVE_INFINITY, counts: "bytes", gzip: "bytes", label: "no cloud limit", source: "" },
  aws: {
    limit: 16_384,
    counts: "bytes",
    gzip: "bytes",
    label: "AWS EC2 user data (16,384 bytes before base64)",
    source: "AWS EC2 User Guide, \"Work with instance user data\": limited to 16 KB in raw form, before it is base64-encoded",
  },
  hetzner: {
    limit: 32_768,
    counts: "text",
    gzip: "base64",
    label: "Hetzner Cloud user_data (32 KiB of text)",
    source: "Hetzner Cloud API, POST /servers user_data: a string \"limited to 32KiB\"; cloud-init DataSourceHetzner base64-decodes it when it can",
  },
  azure: {
    limit: 65_535,
    counts: "bytes",
    gzip: "bytes",
    label: "Azure customData (65,535 bytes decoded)",
    source: "Azure Compute REST API, OSProfile.customData: base64, \"the maximum length of the binary array is 65535 bytes\"",
  },
  digitalocean: {
    limit: 65_536,
    counts: "text",
    gzip: "no",
    label: "DigitalOcean user_data (64 KiB, plain text only)",
    source: "DigitalOcean API, droplet create user_data: \"must be plain text and may not exceed 64 KiB\"",
  },
  openstack: {
    limit: 65_535,
    counts: "base64",
    gzip: "bytes",
    label: "OpenStack Nova user_data (65,535 bytes of base64)",
    source: "Nova user guide, \"Provide user data to instances\": base64 encoded and restricted to 65535 bytes",
  },
  gcp: {
    limit: 262_144,
    counts: "text",
    gzip: "base64",
    label: "Google Cloud metadata value (256 KiB of text)",
    source: "Compute Engine API, metadata items.value: at most 262144 bytes; cloud-init DataSourceGCE decodes user-data-encoding: base64",
  },
};

/** The size the cloud counts for a document of `bytes` bytes as uploaded. */
export function countedSize(bytes: number, counts: CloudLimit["counts"]): number {
  return counts === "base64" ? Math.ceil(bytes / 3) * 4 : bytes;
}
