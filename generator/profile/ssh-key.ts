/**
 * SSH public key lines (`TYPE BASE64 [comment]`, as in a .pub file) checked against the wire
 * format of RFC 4253 §6.6 / RFC 5656 / PROTOCOL.u2f: the base64 blob is a sequence of
 * length-prefixed strings whose first one repeats the key type.
 * Guarantees: pure; returns the reason a key is unusable (a messages.ts text) or undefined when it
 * parses. It does not check the key's mathematics (RSA modulus, curve point).
 */
import { messages } from "../core/messages.js";

const K = messages.profile.sshKey;

/** Per key type: how many strings follow the type in the blob, and a check of those strings. */
const KEY_TYPES: Record<string, { fields: number; check?: (f: Uint8Array[]) => boolean }> = {
  "ssh-ed25519": { fields: 1, check: (f) => f[0].length === 32 },
  "ssh-rsa": { fields: 2 }, // e, n
  "ecdsa-sha2-nistp256": { fields: 2, check: (f) => ascii(f[0]) === "nistp256" }, // curve, Q
  "ecdsa-sha2-nistp384": { fields: 2, check: (f) => ascii(f[0]) === "nistp384" },
  "ecdsa-sha2-nistp521": { fields: 2, check: (f) => ascii(f[0]) === "nistp521" },
  "sk-ssh-ed25519@openssh.com": { fields: 2, check: (f) => f[0].length === 32 }, // key, application
  "sk-ecdsa-sha2-nistp256@openssh.com": { fields: 3, check: (f) => ascii(f[0]) === "nistp256" }, // curve, Q, application
};

export const SSH_KEY_TYPES: readonly string[] = Object.keys(KEY_TYPES);

function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

/** The length-prefixed strings of a blob, or undefined when it does not split exactly. */
function splitBlob(blob: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const len = view.getUint32(at);
    if (at + 4 + len > blob.length) return undefined;
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

/** Why `line` is not a usable SSH public key, or undefined when it is one. */
export function sshKeyProblem(line: string): string | undefined {
  // one entry is one authorized_keys line: a line break would add a second, unchecked one
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(line)) return K.controlCharacter;
  const [type, data] = line.trim().split(/\s+/);
  if (!type) return K.empty;
  const spec = KEY_TYPES[type];
  if (!spec) return K.unknownType(type);
  if (!data) return K.noBlob;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return K.badBase64;
  const fields = splitBlob(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  if (!fields || fields.length === 0) return K.malformed(type);
  const embedded = ascii(fields[0]);
  if (embedded !== type) return K.typeMismatch(type, /^[\x21-\x7e]{1,64}$/.test(embedded) ? embedded : "");
  const rest = fields.slice(1);
  if (rest.length !== spec.fields || (spec.check && !spec.check(rest))) return K.malformed(type);
  return undefined;
}
