/**
 * The syntax of free-text profile fields, each as the program that reads it on a node defines it
 * (schema.ts attaches them): Kubernetes qualified names and label values
 * (k8s.io/apimachinery/pkg/util/validation: IsQualifiedName, IsValidLabelValue), DNS names with
 * labels of at most 63 characters (RFC 1123), Linux interface names (net/core/dev.c dev_valid_name:
 * at most IFNAMSIZ-1 = 15 bytes, not "." or "..", no '/', ':' or white space), crypt(3) hashes as
 * /etc/shadow holds them, X.509 organization names as certificate subjects (RFC 5280
 * ub-organization-name 64) and the system accounts an admin user must not be.
 * Guarantees: pure regular expressions (the schema's, so that the JSON Schema carries every rule for
 * editors and for cli/commands/load.ts's quick check: lengths too, but a whole string's, which the
 * schema's maxLength says), predicates and data; no messages (core/messages.ts has them).
 */

/** RFC 1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric (at most 63: the schema's maxLength). */
export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Characters of an RFC 1123 subdomain: dot-separated labels (lengths: DNS_LABEL_LENGTHS). */
export const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** No DNS label (a run between dots) longer than 63 characters: with RFC1123_SUBDOMAIN and at most 253 in all (the schema's maxLength), an RFC 1123 DNS subdomain. */
export const DNS_LABEL_LENGTHS = /^(?![\s\S]*[^.]{64})/;
/** Characters of a qualified name (lengths: QUALIFIED_NAME_LENGTHS). */
export const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/**
 * A Kubernetes qualified name (label keys, taint keys) with its lengths: [DNS subdomain of at most 253
 * (labels of 1–63) "/"] name of 1–63.
 */
export const QUALIFIED_NAME_LENGTHS = /^((?=[^/]{1,253}\/)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
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
