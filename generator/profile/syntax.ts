/**
 * The syntax of free-text profile fields, each as the program that reads it on a node defines it
 * (schema.ts attaches them): Kubernetes qualified names and label values
 * (k8s.io/apimachinery/pkg/util/validation: IsQualifiedName, IsValidLabelValue), DNS names with
 * labels of at most 63 characters (RFC 1123), Linux interface names (net/core/dev.c dev_valid_name:
 * at most IFNAMSIZ-1 = 15 bytes, not "." or "..", no '/', ':' or white space), crypt(3) hashes as
 * /etc/shadow holds them, X.509 organization names as certificate subjects (RFC 5280
 * ub-organization-name 64) and the system accounts an admin user must not be.
 * Guarantees: pure predicates, regular expressions (the schema's, so that the JSON Schema carries
 * them for editors) and data; no messages (core/messages.ts has them). Where a regular expression
 * cannot say a length rule, a predicate adds it.
 */

const NAME_63 = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Characters of a qualified name (lengths: isQualifiedName). */
export const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A label value, lengths included. */
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** A Linux interface name, lengths included. */
export const INTERFACE_NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]{1,15}$/;
/**
 * A crypt(3) hash as /etc/shadow holds it: `$id$` (1 MD5, 2a/2b/2y bcrypt, 5 SHA-256, 6 SHA-512,
 * y yescrypt, gy gost-yescrypt, 7 scrypt) followed by salt and hash characters only — no ':', no
 * white space, no line break, which would corrupt /etc/shadow.
 */
export const CRYPT_HASH = /^\$(1|2[aby]|5|6|7|y|gy)\$[./0-9A-Za-z$=,]{1,512}$/;
/**
 * An RBAC group as a certificate's O: 1–64 characters, letters, digits and `: . _ @ + = / -`, starting
 * with a letter or digit (a leading '#' would make it a hex-encoded DER value in RFC 4514 syntax).
 */
export const RBAC_GROUP = /^[A-Za-z0-9][A-Za-z0-9:._@+=/-]{0,63}$/;

/** RFC 1123 DNS subdomain: dot-separated labels of 1–63 characters, at most 253 in all. */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && s.split(".").every((label) => DNS_LABEL.test(label));
}

/** Kubernetes qualified name (label keys, taint keys): [DNS subdomain "/"] name of at most 63. */
export function isQualifiedName(s: string): boolean {
  const parts = s.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  return NAME_63.test(name) && (parts.length === 1 || (parts[0] !== "" && isDnsSubdomain(parts[0])));
}

/** Linux interface name (with a VLAN, rules-network.ts checks `NAME.VLAN` too). */
export function isInterfaceName(s: string): boolean {
  return INTERFACE_NAME.test(s);
}

/** Linux's limit on an interface name (IFNAMSIZ - 1). */
export const IFNAME_MAX = 15;

/**
 * Accounts that exist on the node images kubeseed targets (Debian base-passwd, systemd, openssh,
 * Fedora CoreOS and Flatcar's `core`): the admin user must be a new account, not one of these.
 */
export const SYSTEM_ACCOUNTS: readonly string[] = [
  "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list",
  "irc", "gnats", "nobody", "_apt", "messagebus", "sshd", "systemd-network", "systemd-resolve", "systemd-timesync", "systemd-coredump",
  "polkitd", "core", "adm", "operator", "halt", "shutdown", "ftp", "dbus", "tss",
];
