/**
 * Shared secrets that are not keys: the kubeadm bootstrap token and the encryption-at-rest key.
 * - Bootstrap token: `[a-z0-9]{6}.[a-z0-9]{16}` (<token-id>.<token-secret>), the format kubeadm and the
 *   apiserver accept (k8s.io/cluster-bootstrap/token/api BootstrapTokenPattern). Characters are
 *   drawn uniformly from the 36-symbol alphabet by rejection sampling.
 * - Encryption key: 32 random bytes, base64, for an EncryptionConfiguration `aescbc` provider.
 * Guarantees: randomness only from the RandomSource passed in, so a seeded source gives fixed values.
 */
import type { RandomSource } from "../core/clock.js";

export const BOOTSTRAP_TOKEN_PATTERN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** largest multiple of 36 that fits a byte: bytes at or above it are rejected to keep the draw uniform */
const LIMIT = 256 - (256 % ALPHABET.length);

function randomChars(random: RandomSource, n: number): string {
  let out = "";
  while (out.length < n) {
    for (const b of random.bytes(n - out.length)) {
      if (b < LIMIT && out.length < n) out += ALPHABET[b % ALPHABET.length];
    }
  }
  return out;
}

/** A fresh bootstrap token `<6>.<16>`. */
export function generateBootstrapToken(random: RandomSource): string {
  return `${randomChars(random, 6)}.${randomChars(random, 16)}`;
}

export function isBootstrapToken(value: string): boolean {
  return BOOTSTRAP_TOKEN_PATTERN.test(value);
}

/** The public token id (the part before the dot); throws on a malformed token. */
export function bootstrapTokenId(token: string): string {
  const m = BOOTSTRAP_TOKEN_PATTERN.exec(token);
  if (!m) throw new Error("malformed bootstrap token");
  return m[1];
}

export const ENCRYPTION_KEY_BYTES = 32;

/** base64 of 32 random bytes (AES-256 key for the `aescbc` provider). */
export function generateEncryptionKey(random: RandomSource): string {
  return Buffer.from(random.bytes(ENCRYPTION_KEY_BYTES)).toString("base64");
}

/** True when `value` is canonical base64 of exactly 32 bytes. */
export function isEncryptionKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const raw = Buffer.from(value, "base64");
  return raw.length === ENCRYPTION_KEY_BYTES && raw.toString("base64") === value;
}
