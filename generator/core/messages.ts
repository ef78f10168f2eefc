/**
 * Every user-facing text in one place (STYLE rule 6): diagnostic messages, hints, error titles.
 * Guarantees: pure functions of their arguments, no I/O, no trailing newline unless a section says
 * otherwise. Each stage owns one section; add new texts to your section, never inline them in code.
 */
import { optionsMessages } from "./messages-options.js";
import { excerpt } from "./excerpt.js";

const list = (items: readonly string[]): string => items.join(", ");
/** A user's value in a message: a short, escaped excerpt (core/excerpt.ts), in double quotes. */
const quote = (s: string): string => `"${excerpt(s).replace(/"/g, '\\"')}"`;
/** A user's value shown bare (numbers, addresses): the same excerpt without quotes. */
const bare = (s: string): string => excerpt(s);
/** Texts of the profile stage: reading, YAML, overlays, structure (zod) and semantic rules. */
const profile = {
  // --- files and overlays (io/profile-files.ts) ---
  notFound: (ref: string, path: string) => `profile ${quote(ref)} not found (looked for ${path})`,
  notFoundHint: (names: readonly string[]) => names.length ? `available profiles: ${list(names)}` : "pass a profile name (profiles/NAME.yaml) or a path to a YAML file",
  unreadable: (file: string, reason: string) => `cannot read ${file}: ${reason}`,
  extendsNotFound: (ref: string, resolved: string) => `extends ${quote(ref)}: no such file (${resolved})`,
  extendsNotFoundHint: "the path is relative to the file that holds this extends key",
  extendsNotAProfile: (ref: string, resolved: string) => `extends ${quote(ref)}: ${resolved} is not a kubeseed profile (nothing of its content is shown)`,
  systemFile: (file: string) => `${file} is a file of the system (/proc, /sys or /dev), not a profile`,
  notAFile: (file: string, kind: "directory" | "special") => `${file} is ${kind === "directory" ? "a directory" : "not a regular file (a device, FIFO or socket)"}, not a profile`,
  notAFileHint: "name a profile file: profiles/NAME.yaml or a path to a .yaml file",
  tooLargeFile: (file: string, max: number) => `${file} is larger than ${max / 1024 / 1024} MiB; a profile is a few kilobytes`,
  tooLargeFileHint: "check that this is the profile you meant; long values such as keys belong in the files they come from",
  encoding: (file: string, what: "UTF-16" | "binary" | "not UTF-8") =>
    `${file} ${what === "UTF-16" ? "is UTF-16 text" : what === "binary" ? "holds NUL bytes: it is not a text file" : "is not UTF-8 text"}; a profile is UTF-8`,
  encodingHint: "save the file as UTF-8 (without BOM), e.g. iconv -f UTF-16 -t UTF-8 in.yaml > out.yaml",
  extendsCycle: (chain: readonly string[]) => `extends forms a cycle: ${chain.join(" -> ")}`,
  extendsCycleHint: "remove the extends key from one of these files",
  chainFailed: (ref: string) => `cannot load profile ${quote(ref)}`,
  // --- YAML ---
  yamlSyntax: (reason: string) => `YAML syntax error: ${excerpt(reason.split("\n")[0], 120)}`,
  yamlHints: {
    TAB_AS_INDENT: "indent with spaces, not tabs",
    DUPLICATE_KEY: "a key may appear only once in a mapping: remove or merge the repeated one",
    MULTIPLE_DOCS: "a profile is one YAML document: remove the extra '---' separator",
    RESOURCE_EXHAUSTION: "a profile is a few levels of mappings and lists: remove the runaway brackets or indentation",
    default: "check the indentation, quotes and brackets around this position",
  } as Record<string, string>,
  aliasLoop: "an alias refers to the node that contains it",
  undefinedAlias: (name: string) => `the alias *${bare(name)} refers to no anchor: an anchor &${bare(name)} must come before it`,
  unclosedQuote: "this quote is never closed: the value runs on to the end of the file",
  unclosedQuoteHint: "close the quote at the end of the value (a quote inside a value is written twice in '…' or as \\\" in \"…\")",
  tooDeep: (max: number) => `the document is nested more than ${max} levels deep; a profile needs about six`,
  notAProfile: (file: string) => `${file} is not a kubeseed profile (nothing of its content is shown)`,
  notAProfileHint: "a profile starts with apiVersion: kubeseed/v1 and kind: ClusterProfile; an overlay names its base with extends:",
  tooLarge: (limit: number) => `the document expands to more than ${limit} nodes (aliases?)`,
  emptyFile: "the profile file is empty",
  notAMapping: (got: string) => `a profile must be a YAML mapping (key: value lines), got ${got}`,
  extendsNotString: "extends must be a file path (a string)",
  // --- structure (zod issues) ---
  unknownKey: (key: string) => `unknown key ${quote(key)}`,
  didYouMean: (s: string) => `did you mean ${quote(s)}?`,
  allowedKeys: (keys: readonly string[]) => `allowed keys here: ${list(keys)}`,
  missingField: (key: string) => `missing required field ${quote(key)}`,
  missingFieldHint: (key: string, description?: string) => `add ${key}:${description ? ` (${description})` : ""}`,
  invalidType: (expected: string, got: string) => `expected ${expected}, got ${got}`,
  /** a scalar of the wrong type, as invalidType's `got` */
  shownValue: (value: string) => quote(value),
  quoteIt: (raw: string) => `quote the value: ${quote(raw)}`,
  unquoteIt: (raw: string) => `write it without quotes: ${bare(raw)}`,
  invalidEnum: (value: string, allowed: readonly string[]) => `${quote(value)} is not one of: ${list(allowed)}`,
  allowedValues: (allowed: readonly string[]) => `allowed values: ${list(allowed)}`,
  invalidLiteral: (value: string, expected: string) => `must be ${quote(expected)}, got ${quote(value)}`,
  invalidFormat: (value: string, reason: string) => `${bare(value)} ${reason}`,
  outOfRange: (value: number, lo?: number, hi?: number) =>
    lo !== undefined && hi !== undefined ? `${value} is outside ${lo}–${hi}` : lo !== undefined ? `${value} is below ${lo}` : `${value} is above ${hi}`,
  tooFewItems: (min: number) => `needs at least ${min} ${min === 1 ? "entry" : "entries"}`,
  tooLong: (max: number) => `is longer than ${max} characters`,
  invalidKey: (key: string, reason: string) => `key ${quote(key)} ${reason}`,
  types: {
    object: "a mapping", record: "a mapping", array: "a list", string: "a string",
    number: "a number", int: "an integer", boolean: "true or false", null: "an empty value",
  } as Record<string, string>,
  /** per-field syntax texts used by schema.ts */
  format: {
    rfc1123Label: "must be an RFC 1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
    dnsName: "must be an RFC 1123 DNS name (lower case, dot-separated labels)",
    dnsLabelLength: "has a DNS label longer than 63 characters",
    ipv4: "is not an IPv4 address",
    cidr: "is not an IPv4 CIDR such as 10.96.0.0/12",
    version: "must be an exact version such as v1.31.4",
    duration: "is not a duration such as 8760h or 365d",
    labelKey: "is not a Kubernetes qualified name: [DNS-prefix/]name, the name at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    labelValue: "is not a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    cryptHash: "is not a crypt(3) password hash such as $6$salt$hash or $y$j9T$salt$hash (mkpasswd -m sha-512)",
    rbacGroup: "is not a group name: 1–64 letters, digits and : . _ @ + = / -, starting with a letter or digit",
    posixUser: "must be a POSIX user name: lower case, at most 32 characters",
    rbacUser: "must be a user name of lower-case letters, digits, '-', '.', '_' or '@'",
    interface: "is not a Linux network interface name: 1–15 letters, digits, '_', '.' or '-', and not . or ..",
    portRange: "is not a port range such as 30000-32767",
    url: "is not an http://, https:// or file:// URL",
    absolutePath: "is not an absolute path",
    urlPath: "is not a URL path such as / or /kubeseed/ (starts and ends with /; letters, digits, . _ ~ -)",
    pgpPublicKey: "is not an ASCII-armored OpenPGP public key (gpg --armor --export KEY)",
    registryPrefix: "is not a repository path such as k8s or mirror/k8s (lower-case letters, digits, . _ - and /)",
  },
  formatHints: {
    version: (v: string) => `write ${quote(`v${v}`)}`,
    ipv4: "four numbers 0–255 separated by dots, e.g. 192.168.1.11",
    cidr: "an address and a prefix length, e.g. 192.168.1.0/24",
    lowerCase: (v: string) => quote(v),
    duration: "a whole number of hours (h) or days (d), e.g. 8760h",
  },
  // --- semantic rules ---
  duplicateNodeName: (name: string, first: string) => `node name ${quote(name)} is already used by ${first}`,
  duplicateNodeNameHint: "every node needs its own host name",
  duplicateAddress: (ip: string, first: string) => `address ${ip} is already used by ${first}`,
  duplicateAddressHint: "every node address and public address must be unique",
  outsideNetwork: (ip: string, cidr: string) => `${ip} is outside the node network ${cidr}`,
  outsideNetworkHint: (first: string, last: string) => `use an address from ${first} to ${last}, or widen spec.network.cidr`,
  reservedAddress: (ip: string, what: "network" | "broadcast", cidr: string) => `${ip} is the ${what} address of ${cidr}`,
  reservedAddressHint: (first: string, last: string) => `use an address from ${first} to ${last}`,
  cidrNotNetwork: (cidr: string, network: string) => `${cidr} has host bits set; its network is ${network}`,
  cidrNotNetworkHint: (network: string) => `write ${network}`,
  vipConflict: (vip: string, owner: string) => `the endpoint VIP ${vip} is also the address of ${owner}`,
  vipConflictHint: "the VIP must be a free address of the node network that no node owns",
  cidrOverlap: (a: string, aName: string, b: string, bName: string) => `${aName} ${a} overlaps ${bName} ${b}`,
  cidrOverlapHint: "node, pod and service networks must be disjoint; change one of them",
  defaultSuffix: " (default)",
  noControlPlane: "no node has role control-plane",
  noControlPlaneHint: "set role: control-plane on at least one node",
  endpointRequired: (n: number) => `${n} control-plane nodes need a shared API endpoint`,
  endpointRequiredHint: "add spec.controlPlane.endpoint.host (a DNS name) and/or .vip (a free address of the node network) that reaches every control plane",
  evenControlPlanes: (n: number) => `${n} control-plane nodes: an even etcd member count adds no failure tolerance`,
  evenControlPlanesHint: (n: number) => `use ${n - 1} or ${n + 1} control-plane nodes`,
  unsupportedVersion: (v: string) => `Kubernetes ${v} is not a supported version`,
  unsupportedVersionNewestPatch: (v: string, minor: string) => `use ${v}, the newest supported ${minor} patch`,
  unsupportedVersionRange: (oldest: string, newest: string) => `supported versions: ${oldest} to ${newest}`,
  sshKey: {
    empty: "the SSH key is empty",
    unknownType: (t: string) => `unknown SSH key type ${quote(t)}`,
    noBlob: "the SSH key has no base64 key data after its type",
    badBase64: "the SSH key data is not valid base64",
    typeMismatch: (declared: string, embedded: string) =>
      embedded ? `the key type is ${declared} but its data is for ${embedded}` : `the key type is ${declared} but its data does not start with a key type`,
    malformed: (t: string) => `the ${t} key data is truncated or malformed`,
    controlCharacter: "the SSH key holds a line break or another control character, which would add an unchecked line to authorized_keys",
  },
  pgpKey: {
    privateKey: "this is a PRIVATE key block: packagesKey takes the public key only (gpg --armor --export KEY); treat the private key as disclosed",
    armorLines: `the key must run from "-----BEGIN PGP PUBLIC KEY BLOCK-----" over a blank line to "-----END PGP PUBLIC KEY BLOCK-----", with nothing after it`,
    armorHeader: (line: number) => `line ${line} of the key is neither an armor header (Name: value) nor the blank line before the data`,
    base64: (line: number) => `line ${line} of the key is not base64 data`,
    checksum: "the key's armor checksum (the =XXXX line) does not match its data: the key was changed or cut",
    packets: "the key's data is not a sequence of whole OpenPGP key packets (truncated, or not a key)",
    notPublicKey: "the key's data does not start with a public-key packet",
  },
  pgpKeyHint: "paste the output of gpg --armor --export KEY as a block (packagesKey: |), unchanged",
  sshKeyHint: "paste the whole line of the .pub file, e.g. ssh-ed25519 AAAAC3Nza… user@host (types: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-*)",
  keyAlgorithmNeeds: (alg: string, min: string, v: string) => `keyAlgorithm ${alg} needs Kubernetes ${min} or later, the profile has ${v}`,
  keyAlgorithmNeedsHint: (min: string) => `use ecdsa-p256 or an RSA algorithm, or Kubernetes ${min} or later`,
  ecdsaFeatureGate: (alg: string, v: string) => `ECDSA keys (${alg}) with Kubernetes ${v}: kubeadm before v1.31 renews them only with the PublicKeysECDSA feature gate`,
  ecdsaFeatureGateHint: "use Kubernetes v1.31 or later, or enable PublicKeysECDSA in kubeadm before renewing certificates, or choose an RSA algorithm",
  invalidSan: (san: string) => `${quote(san)} is neither an IPv4 address nor a DNS name`,
  invalidSanHint: "use an IPv4 address or a lower-case DNS name; a wildcard is allowed as the first label (*.example.com)",
  duplicateUser: (name: string, first: string) => `user ${quote(name)} is already defined at ${first}`,
  duplicateUserHint: "merge the groups of both entries into one user",
  validityOrder: (ca: string, leaf: string) => `the CA validity ${ca} is not longer than the certificate validity ${leaf}`,
  validityOrderHint: "certificates cannot outlive their CA: make caValidity longer than certValidity",
  renewalWindow: (window: string, leaf: string) => `the renewal window ${window} is not shorter than the certificate validity ${leaf}: every certificate would be renewed on every check`,
  renewalWindowHint: "make renewBefore shorter than certValidity, e.g. 720h (30 days, the default)",
  renewalOff: (validity: string) => `renewal: none: nothing on the control planes renews their certificates, which expire ${validity} after they were issued`,
  renewalOffHint: "run gen --profile NAME within the renewal window and push what REPORT.md lists (gen certs check says when), or run kubeadm certs renew all on each control plane; renewal: timer (the default) does it on the nodes",
  sshKeyNotEd25519: (type: string) => `a ${type} key cannot log in: the strict sshd hardening accepts ssh-ed25519 keys only`,
  sshKeyNotEd25519Hint: "use an ed25519 key (ssh-keygen -t ed25519), or set host.sshHardening: relaxed",
  vlanInterfaceTooLong: (name: string, max: number) => `the VLAN interface ${quote(name)} is longer than Linux's ${max} characters`,
  vlanInterfaceTooLongHint: (room: number) => `rename the private NIC to at most ${room} characters (e.g. with a systemd .link file), or use a shorter VLAN id`,
  adminSystemAccount: (name: string) => `the admin user ${quote(name)} is a system account of the node image`,
  adminSystemAccountHint: "name a new account such as administrator: kubeseed creates it with its own uid, SSH keys and sudo",
  sameInterface: (nic: string) => `the public interface ${quote(nic)} is also the private interface, which gets a static address`,
  sameInterfaceHint: "name another NIC, set network.vlan to put the private address on a VLAN of this NIC, or write publicInterface: none",
  portRangeOrder: (range: string) => `NodePort range ${range} is empty, reversed or outside 1–65535`,
  portRangeOrderHint: "write FIRST-LAST with FIRST < LAST, e.g. 30000-32767",
  endpointPortClash: (port: number, mode?: string) =>
    `the endpoint port ${port} is also kube-apiserver's bind port, but haproxy (${mode ? `loadBalancer: ${mode}` : "the VIP balancer"}) listens on the endpoint port on every control plane`,
  endpointPortClashHint: (balancerPort: number) =>
    `use spec.controlPlane.endpoint.port ${balancerPort} (the default with a VIP balancer) or another free port, or set loadBalancer: none when an external balancer serves the endpoint`,
  balancerUnused: (mode: string) => `loadBalancer: ${mode} has no effect: keepalived + haproxy run only with an endpoint VIP and two or more control planes`,
  balancerUnusedHint: "remove spec.controlPlane.loadBalancer, or add spec.controlPlane.endpoint.vip and more control-plane nodes",
  registryAddress: "airgap mode needs the registry host's address: every node maps the registry name to it in /etc/hosts",
  registryAddressHint: "add spec.registry.address, e.g. the address of the host that serves registry.local",
  registryPortClash: (port: number) => `the registry and the node-package file server both listen on port ${port} of the registry host`,
  registryPortClashHint: (def: number) => `give spec.registry.packagesPort another port (default ${def})`,
  osPackages: (packages: string, nodes: readonly string[]) => `kubernetesPackages: ${packages} does not work on ${nodes.length === 1 ? "node" : "nodes"} ${list(nodes)}`,
  osPackagesHint:
    "remove the key so that each OS gets its default (apt on Debian, download on Fedora CoreOS and Flatcar), or use preinstalled",
  osBalancer: (nodes: readonly string[]) => `loadBalancer: host-services installs haproxy and keepalived as packages, which ${list(nodes)} cannot do`,
  osBalancerHint: "use static-pods (the default when a control plane runs Fedora CoreOS or Flatcar), or none with an external balancer",
  portRangeClash: (range: string, port: number) => `NodePort range ${range} contains the API server port ${port}`,
  portRangeClashHint: "move the NodePort range or the API server port so they do not overlap",
};

/** What a YAML error code of the yaml package means, in words that quote nothing from the file. */
const secretsYamlErrors: Record<string, string> = {
  DUPLICATE_KEY: "this key appears twice in one mapping",
  BAD_INDENT: "the indentation is wrong",
  TAB_AS_INDENT: "a tab is used for indentation",
  MISSING_CHAR: "a closing quote or bracket is missing",
  MULTIPLE_DOCS: "the file holds more than one YAML document",
  BAD_ALIAS: "an alias is not allowed here",
  MULTILINE_IMPLICIT_KEY: "a key runs over more than one line",
  BLOCK_AS_IMPLICIT_KEY: "a key runs over more than one line",
  default: "the YAML structure is broken here",
};

/** Texts of the secrets file (pki/secrets.ts, pki/secrets-check.ts). */
const secrets = {
  parseFailed: (file: string, n: number) => `${file} is not a valid kubeseed secrets file (${n} problem${n === 1 ? "" : "s"})`,
  /** YAML errors name the place only, never the text (a line of a PEM block is key material) */
  yamlSyntax: (code: string) => `YAML syntax error: ${secretsYamlErrors[code] ?? secretsYamlErrors.default} (the line is not shown: this file holds private keys)`,
  notAMapping: "the secrets file must be a YAML mapping",
  missingFormat: "missing `format`; a kubeseed secrets file starts with `format: kubeseed.secrets/v1`",
  unknownFormat: (found: string | undefined, known: string) => `unknown secrets format${found ? ` ${quote(found)}` : ""}; this kubeseed reads ${known}`,
  unknownKey: (key: string | undefined) => (key ? `unknown key ${quote(key)}` : "unknown key (its name is not shown: it does not look like a key of this file)"),
  unknownFormatHint: "use the kubeseed release that wrote this file, or check that the file is a kubeseed secrets file",
  token: "bootstrapToken must match [a-z0-9]{6}.[a-z0-9]{16}",
  encryptionKey: "encryptionKey must be base64 of exactly 32 bytes",
  specHash: "specHash must be 64 lower-case hex digits",
  badPem: (what: string, reason: string) => `${what} does not parse: ${reason}`,
  notCa: "this CA certificate is not a CA (BasicConstraints CA:TRUE missing)",
  caSignature: (id: string) => `the ${id} CA certificate's self-signature does not verify: the certificate was changed or damaged`,
  leafSignature: (id: string) => `certificate ${id} is not signed by any CA of this file: it was changed or damaged, or its CA is missing`,
  leafSignatureHint: "restore the file from a backup, or delete this entry (both cert and key) so kubeseed issues a new certificate from the CA",
  keyMismatch: (what: string) => `the private key does not belong to ${what}`,
  keyMismatchHint: "restore the matching key from a backup, or delete this entry so kubeseed issues a new pair",
  saMismatch: "serviceAccount.key and serviceAccount.pub are not one key pair",
  hint: "the secrets file is written by kubeseed; restore it from a backup rather than editing it by hand",
};

const day = (d: Date) => d.toISOString().slice(0, 10);
/** Notes and errors of certificate issuing (pki/issue.ts). */
const pki = {
  caAlgorithm: (id: string, has: string, want: string) => `the ${id} CA keeps its ${has} key although keyAlgorithm is ${want}: kubeseed never replaces a CA; new leaf certificates use ${want}`,
  saAlgorithm: (has: string, want: string) => `the service-account key stays ${has} although keyAlgorithm is ${want} (replacing it would invalidate every service-account token)`,
  caExpired: (id: string, at: Date) => `the ${id} CA in the secrets file expired on ${day(at)}; kubeseed never replaces a CA on its own`,
  caNotYetValid: (id: string, from: Date) => `the ${id} CA in the secrets file becomes valid only on ${day(from)}: check this machine's clock, or the file`,
  leafNotYetValid: (id: string, from: Date) => `certificate ${id} in the secrets file becomes valid only on ${day(from)}: check this machine's clock, or the file`,
  notYetValidHint: "kubeseed never replaces a CA on its own: fix the clock, or restore the secrets file from a backup",
  leafOtherCa: (id: string, ca: string) => `certificate ${id} in the secrets file is not signed by the ${ca} CA that issues it`,
  leafOtherCaHint: "restore the file from a backup, or delete this entry (cert and key) so kubeseed issues a new certificate",
  caExpiredHint: "rotate the cluster's CAs, or move the secrets file away to start a new PKI (every node must then be re-provisioned)",
  otherCluster: (has: string, want: string) => `the secrets belong to cluster "${has}", not "${want}"`,
};

/** What an errno code means, for a one-line file-system error (io/fs-errors.ts). */
const fsReasons: Record<string, string> = {
  ENOENT: "no such file or folder", ENOSPC: "no space left on the device", EDQUOT: "the disk quota is exceeded", EROFS: "the file system is read-only",
  EACCES: "permission denied", EPERM: "operation not permitted", EIO: "an input/output error of the device",
  ENOTDIR: "a part of the path is a file, not a folder", EISDIR: "it is a folder", ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links", EMFILE: "too many open files", ENFILE: "too many open files", EFBIG: "the file is too large",
  EXDEV: "it is on another file system", EBUSY: "it is busy (a mount point?)",
};
const shownList = (items: readonly string[], max = 5) => `${items.slice(0, max).map(quote).join(", ")}${items.length > max ? ` and ${items.length - max} more` : ""}`;

/** Texts of the file writers and readers (io/). */
const io = {
  outputNotEmpty: (dir: string, foreign: readonly string[]) =>
    `the output directory ${dir} holds ${foreign.length} ${foreign.length === 1 ? "entry" : "entries"} kubeseed did not write (${shownList(foreign)}); pass --force to write kubeseed's files beside them (they are kept, never deleted), or choose another --out`,
  outputInTheWay: (dir: string, blocked: readonly string[]) =>
    `${shownList(blocked)} in ${dir} ${blocked.length === 1 ? "stands" : "stand"} where kubeseed writes its own files, and kubeseed did not write ${blocked.length === 1 ? "it" : "them"}; move ${blocked.length === 1 ? "it" : "them"} away or choose another --out (even --force never deletes or overwrites what kubeseed did not write)`,
  outIsFile: (dir: string) => `--out ${dir} is a file, not a directory; choose a directory`,
  outUnderFile: (dir: string, file: string) => `--out ${dir} cannot be a directory: ${file} is a file`,
  fsFailed: (action: string, path: string, code: string, after?: string) => `cannot ${action} ${path}: ${fsReasons[code] ?? code} (${code})${after ? `; ${after}` : ""}`,
  previousKept: (existed: boolean) => (existed ? "the previous output is unchanged" : "nothing was written"),
  secretsKept: "the secrets file is unchanged",
  secretsNotFile: (file: string, what: "directory" | "special") => `--secrets ${file} is ${what === "directory" ? "a directory" : "not a regular file"}; pass the path of the secrets file (default secrets/NAME.yaml)`,
  secretsEmpty: (file: string) => `the secrets file ${file} is empty: it holds no CA; kubeseed does not start a new PKI in its place`,
  secretsEmptyHint: "restore the file from a backup; to start a new PKI on purpose, delete it (every node must then be re-provisioned)",
  secretsInsideOutput: (secrets: string, out: string) => `the secrets file ${secrets} is inside the output directory ${out}: the output is replaced on every run, the secrets file must outlive it`,
  secretsInsideOutputHint: "keep the secrets file elsewhere (default secrets/NAME.yaml) and pass --secrets, or choose another --out",
  secretsMissing: (secrets: string, out: string) => `the secrets file ${secrets} does not exist, but ${out} holds the output of an earlier run with its CA: a new run would silently create a new CA`,
  secretsMissingHint: (out: string) => `restore the secrets file (or pass --secrets with it); to start a new PKI on purpose, move ${out} away first (every node must then be re-provisioned)`,
  locked: (file: string, pid: number | undefined, lock: string) =>
    `${file} is in use by another gen run${pid ? ` (process ${pid})` : ""}; wait until it has finished, then run again (if no gen runs, remove ${lock})`,
  staleRemoved: (path: string, pid: number) => `note: removed ${path}, left behind by an interrupted gen run (process ${pid})\n`,
  staleRestored: (path: string, from: string, pid: number) => `note: restored ${path} from ${from}, left behind by an interrupted gen run (process ${pid})\n`,
};

/** Texts of the command line (cli/). Multi-line texts end with a newline. */
const cli = {
  usageError: (reason: string) => `error: ${reason}
see gen --help
`,
  extraArguments: (args: readonly string[]) => `unexpected arguments: ${list(args)}`,
  unknownCommand: (name: string, known: readonly string[]) => `unknown command ${quote(name)} (commands: ${list(known)})`,
  unknownAction: (command: string, action: string | undefined, known: readonly string[]) =>
    `${action === undefined ? `gen ${command} needs an action` : `unknown action ${quote(action)} of gen ${command}`} (${list(known.map((a) => `gen ${command} ${a}`))})`,
  nothingToDo: "nothing to do: pass --profile NAME",
  profileRequired: "--profile NAME is required",
  unknownCloud: (value: string, known: readonly string[]) => `unknown --cloud ${quote(value)} (clouds: ${list(known)})`,
  archiveWritten: (file: string, bytes: number) => `wrote ${file} (${bytes} bytes)\n`,
  unknownFormat: (value: string, known: readonly string[]) => `unknown --format ${quote(value)} (formats: ${list(known)})`,
  noSeedIso: (format: string) => `note: no node boots with cloud-init (all use Ignition), so --format ${format} wrote no seed.iso\n`,
  internalError: (stack: string) => `internal error: this is a bug in kubeseed, please report it with the text below\n${stack}\n`,
  invalidProfile: (file: string, diags: readonly { severity: string }[]) => {
    const errors = diags.filter((d) => d.severity === "error").length;
    const warnings = diags.length - errors;
    return `${file} is not valid: ${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`;
  },
  valid: (file: string, nodes: number) => `${file} is valid (${nodes} node${nodes === 1 ? "" : "s"})\n`,
  checked: (file: string, nodes: number, certs: number, kubeconfigs: number) =>
    `${file} is valid: ${nodes} nodes, ${certs} certificates and ${kubeconfigs} kubeconfigs planned; nothing written (--check)\n`,
  secretsOfOtherCluster: (file: string, has: string, want: string) => `${file} holds the secrets of cluster ${quote(has)}, not ${quote(want)}; pass --secrets with this cluster's file`,
  secretsCreated: (file: string) => `created ${file}: it holds the CA keys; keep it and back it up, every later run reuses it\n`,
  secretsUpdated: (file: string) => `updated ${file}\n`,
  bootDocs: (r: { count: number; cloud: string | null; compressed: number; node: string; doc: string; bytes: number; counted: number; limit: number | null; report: string }) =>
    `first-boot documents: ${r.count}` +
    (r.cloud === null ? "" : `, all within the ${r.cloud}${r.compressed ? `, ${r.compressed} gzip-compressed` : ""}`) +
    `; the largest: ${r.node} ${r.doc}, ${r.bytes} bytes${r.limit === null ? "" : ` (${r.counted} counted of ${r.limit})`}` +
    `${r.cloud === null ? "; no cloud limit checked (spec.cloud or --cloud)" : ""}; per node in ${r.report}\n`,
  progressLive: (stage: string, done: number, total: number) => `${stage} ${done}/${total}`,
  progressDone: (stage: string, total: number) => `${stage}: ${total} done\n`,
  jsonOnlyValidate: "--json applies to gen validate only",
  generated: (r: { out: string; files: number; nodes: number; issued: number; reused: number; removed: number; ms: number }) =>
    `wrote ${r.out}: ${r.files} files for ${r.nodes} nodes; certificates: ${r.issued} issued, ${r.reused} reused` +
    `${r.removed ? `, ${r.removed} dropped` : ""} (${r.ms} ms)\n`,
};

/**
 * Texts of the first-boot script kubeseed-bootstrap (render/bootstrap/): its journal lines and the
 * message= line of /var/lib/kubeseed/status. One line each. Arguments are run-time values (the
 * renderer passes bash variable placeholders), so no text may depend on their content.
 */
const bootstrap = {
  alreadyDone: (marker: string) => `already bootstrapped (${marker} exists): nothing to do`,
  assemble: (dir: string) => `assembling the files the first-boot document carried as templates (${dir}): kubeconfigs from the PEM files`,
  badSeconds: (name: string, value: string) => `${name}=${value} is not a whole number of seconds`,
  start: (node: string, role: string) => `bootstrapping ${node} as ${role}`,
  missingProgram: (program: string) => `required program ${program} not found on PATH: install it (kubeseed-install-kubernetes or the node image), then systemctl restart kubeseed-bootstrap`,
  kubeadmSkipped: (marker: string) => `kubeadm already completed on this node (${marker} exists)`,
  kubeadmLeftovers: (traces: string, log: string) =>
    `an earlier kubeadm run on this node stopped midway (it left ${traces}, and the cluster does not show it finished; see ${log}); kubeseed never runs kubeadm reset: ` +
    "find the cause with journalctl -u kubelet -u kubeseed-bootstrap, run kubeadm reset -f yourself, then systemctl restart kubeseed-bootstrap",
  kubeadmFoundFinished: (traces: string) => `an earlier kubeadm run finished (it left ${traces} and the cluster shows this node joined): not running it again`,
  kubeadmValidate: (config: string) => `checking ${config} with kubeadm config validate`,
  kubeadmConfigInvalid: (config: string) => `kubeadm refuses ${config} (see the lines above): regenerate this node's files with a kubeseed and kubeadm of the same version, then systemctl restart kubeseed-bootstrap`,
  kubeadmFailedMidway: (command: string, code: string, traces: string, log: string) =>
    `${command} failed with exit code ${code} after it had started changing this node (it left ${traces}); its output is in the journal and in ${log}; ` +
    "kubeseed never runs kubeadm reset: find the cause, run kubeadm reset -f yourself, then systemctl restart kubeseed-bootstrap",
  waitEndpoint: (endpoint: string) => `waiting for the API endpoint ${endpoint}`,
  endpointUp: (endpoint: string) => `API endpoint ${endpoint} answers`,
  endpointUnreachable: (endpoint: string, seconds: string) =>
    `endpoint unreachable: ${endpoint} (no answer within ${seconds}s); check that the first control plane is up and that the VIP, DNS name and firewall let this node reach it`,
  retrying: (what: string, seconds: string) => `${what}: no answer yet, retrying in ${seconds}s`,
  runtime: "restarting containerd on the written configuration and enabling the kubelet",
  runtimeDown: (seconds: string) => `containerd did not answer crictl info within ${seconds}s; see journalctl -u containerd`,
  kubeadmRun: (command: string) => `running ${command}`,
  kubeadmFailed: (command: string, code: string, log: string) => `${command} failed with exit code ${code}; its output is in the journal and in ${log}`,
  tokenExpired: (config: string) =>
    `bootstrap token expired or unknown: create a new one with kubeadm token create on a control plane and update the token in ${config} ` +
    "(discovery.bootstrapToken.token and discovery.tlsBootstrapToken), or regenerate this node's files with kubeseed, then systemctl restart kubeseed-bootstrap",
  cni: (manifest: string) => `applying the CNI manifest ${manifest}`,
  cniFailed: (seconds: string) => `the API server did not accept the CNI manifest within ${seconds}s; see the kubectl lines above`,
  adminKubeconfig: (path: string, user: string) => `installing the admin kubeconfig ${path} for ${user}`,
  noAdminHome: (home: string, user: string) => `the home directory ${home} of ${user} does not exist (cloud-init creates it)`,
  done: "bootstrap complete",
  unexpected: (line: string, code: string, program = "kubeseed-bootstrap") => `unexpected failure at line ${line} of ${program} (exit code ${code}); see journalctl -u ${program}`,
};

/**
 * Texts of the control planes' certificate renewal, kubeseed-renew-certs (render/renewal/): journal lines
 * and the message= line of /var/lib/kubeseed/renewal. One line each; arguments are run-time values.
 */
const renewal = {
  start: (node: string, days: string) => `checking the certificates and kubeconfigs of ${node}: renewing them when one expires within ${days} days`,
  missingProgram: (program: string) => `required program ${program} not found on PATH`,
  unknownArgument: (arg: string) => `unknown argument ${arg} (the only option is --force)`,
  locked: (lock: string) => `another kubeseed-renew-certs run holds ${lock}: nothing to do`,
  unreadable: (file: string) => `cannot read the certificate of ${file}: renewing it`,
  noFiles: "no kubeadm certificate or kubeconfig found under /etc/kubernetes: this node has not been bootstrapped yet",
  expiring: (file: string, date: string) => `${file} expires on ${date}, within the renewal window`,
  caExpiring: (file: string, date: string) =>
    `the CA certificate ${file} expires on ${date}: kubeseed never renews a CA on a node; rotate it with gen secrets rotate-ca`,
  nothingDue: (days: string, file: string, date: string) => `nothing expires within ${days} days; the next expiry: ${file} on ${date}`,
  forced: "renewing now (--force)",
  backup: (dir: string) => `copied /etc/kubernetes/pki and the kubeconfigs to ${dir}`,
  run: (command: string) => `running ${command}`,
  failed: (command: string, code: string, dir: string) => `${command} failed with exit code ${code}; the files from before the run are in ${dir}`,
  stillExpiring: (files: string) => `still expiring after kubeadm certs renew: ${files}`,
  restartPods: (node: string) => `restarting the static Pods of ${node} so that they load the renewed files`,
  restartPod: (pod: string) => `restarting the static Pod ${pod}`,
  noPod: (pod: string) => `no ${pod} Pod runs on this node: the kubelet starts it with the renewed files`,
  restartFailed: (pod: string) => `could not restart the static Pod ${pod} with crictl; see crictl pods and journalctl -u kubelet`,
  waitReady: (url: string) => `waiting for ${url}/readyz with the renewed admin.conf`,
  notReady: (seconds: string) => `the control plane did not answer /readyz with the renewed admin.conf within ${seconds}s; see crictl ps -a and journalctl -u kubelet`,
  adminKubeconfig: (path: string) => `installed the renewed admin.conf as ${path}`,
  kubeletExpiring: (date: string) => `the kubelet's client certificate expires on ${date}: restarting the kubelet so that it rotates it through the API`,
  renewed: (count: string, pods: string, file: string, date: string) =>
    `renewed ${count} certificates and kubeconfigs; restarted: ${pods}; the next expiry: ${file} on ${date}`,
};

/** Texts of certificate expiry: gen's warnings (pki/expiry.ts) and `gen certs check` (cli/commands/certs-check.ts). */
const expiry = {
  ca: (id: string, date: string, expired: boolean) =>
    `the ${id} CA ${expired ? "expired" : "expires"} on ${date}${expired ? "" : ", within the renewal window"}: kubeseed never renews a CA and leaf certificates cannot outlive it; plan a CA rotation (gen secrets rotate-ca)`,
  leaf: (id: string, date: string, expired: boolean) =>
    `${id} ${expired ? "expired" : "expires"} on ${date}${expired ? "" : ", within the renewal window"}, and re-issuing cannot extend it past its CA's end: rotate the CA (gen secrets rotate-ca)`,
  header: ["certificate", "held by", "not after", "days left", "status"],
  status: { ok: "ok", due: "RENEW", expired: "EXPIRED" } as Record<string, string>,
  notInProfile: "(not in the profile: the next gen drops it)",
  none: (file: string, profile: string) => `${file} does not exist: run gen --profile ${profile} first`,
  allOk: (n: number, days: number) => `all ${n} certificates are valid for more than ${days} days\n`,
  due: (n: number, days: number) => `${n} certificate${n === 1 ? "" : "s"} expire${n === 1 ? "s" : ""} within ${days} days or expired\n`,
  leafHint: (profile: string) =>
    `leaf certificates: gen --profile ${profile} re-issues them into the output; control planes renew their own copies (kubeseed-renew-certs.timer, state in /var/lib/kubeseed/renewal)\n`,
  caHint: "CAs: kubeseed never renews a CA; plan a rotation with gen secrets rotate-ca\n",
};

/**
 * `gen secrets rotate-ca`: kubeadm's documented manual CA rotation ("Manual Rotation of CA
 * Certificates", kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/) as a sequence of
 * renders the operator applies in order. Step texts, one paragraph each.
 */
const rotateCa = {
  title: (cluster: string) => `CA rotation plan for cluster ${cluster} (kubeadm's manual rotation, as renders applied in order; a normal gen never rotates a CA)`,
  steps: [
    "1. trust both (render 1; gen secrets rotate-ca --step trust-both, then gen): a new CA is kept next to the secrets file (secrets/NAME.rotation.yaml); every trust file becomes a bundle, old CA first: /etc/kubernetes/pki/ca.crt, front-proxy-ca.crt and etcd/ca.crt on control planes (ca.key stays the old key, so the old CA still signs), the certificate-authority-data of every kubeconfig, the discovery CA hashes (both pinned); kube-controller-manager signs with a single-certificate copy (pki/ca-signer.crt: --cluster-signing-cert-file cannot be a bundle). Push to every control plane, regenerate the controller-manager manifest (kubeadm init phase control-plane controller-manager --config /etc/kubernetes/kubeadm/renew.yaml), restart the static Pods; on every worker put both CAs into /etc/kubernetes/pki/ca.crt and kubelet.conf's certificate-authority-data and restart the kubelet; wait until kube-controller-manager has written both CAs into every namespace's kube-root-ca.crt ConfigMap, then restart every Pod that talks to the API (kube-proxy, CoreDNS, the CNI, your controllers).",
    "2. sign with the new CA (render 2): the new CA becomes the signer (ca.key, ca-signer.crt) and comes first in the bundles; every leaf certificate and kubeconfig is re-issued by it (the specHash names the signer, so this follows by itself). Push every control plane's pki/ and kubeconfigs, restart the static Pods one control plane at a time (the API stays up behind the VIP); kubelets get certificates from the new CA at their next rotation (restart them to force it); hand out the new admin and user kubeconfigs.",
    "3. drop the old CA (render 3): the old CA leaves the secrets file and every bundle; ca-signer.crt goes. Push the CA files and kubeconfigs again, update the workers' ca.crt and kubelet.conf, restart the static Pods and kubelets, then restart the Pods that talk to the API once more.",
  ],
  implemented: "implemented: step 1 (trust both) for the cluster CA: gen secrets rotate-ca --profile NAME --step trust-both writes the new CA next to the secrets file, then gen --profile NAME renders it. Not yet: steps 2 and 3, and the etcd and front-proxy CAs (docs/day-two.md).",
  current: (file: string, step: string) => `in progress: ${file} is at step ${step}`,
  started: (file: string, profile: string) => `wrote ${file}: the new cluster CA (keep it with the secrets file); gen plan --profile ${profile} shows what step 1 changes, gen --profile ${profile} renders it\n`,
  already: (file: string, step: string) => `${file} already holds a rotation at step ${step}; a second one cannot start`,
  noSecrets: (file: string) => `${file} does not exist: there is no CA to rotate yet (run gen --profile NAME first)`,
  unknownStep: (step: string, known: readonly string[]) => `unknown --step ${quote(step)} (steps: ${list(known)})`,
  notMapping: "the file is not a YAML mapping",
  badField: (field: string, want: string) => `${field} must be ${want}`,
  badCa: "next must hold a CA certificate with the current CA's subject and its own private key",
  badFile: (file: string, problems: readonly string[]) => `${file} is not a kubeseed CA rotation: ${problems.join("; ")}`,
  next: "CA rotation step 1 (trust both): push every control plane's pki/ and kubeconfigs (REPORT.md lists them), regenerate its controller-manager manifest (kubeadm init phase control-plane controller-manager --config /etc/kubernetes/kubeadm/renew.yaml) and restart its static Pods; give every worker both CAs in /etc/kubernetes/pki/ca.crt and kubelet.conf, restart its kubelet; restart every Pod that talks to the API once kube-root-ca.crt holds both (docs/day-two.md)",
};

/**
 * Texts of the change summary (bundle/changes-text.ts): `gen plan`, the summary after `gen`, and REPORT.md's
 * "Changed since the previous output". Section titles, one line per item, the commands to run.
 */
const ETCDCTL = "etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key";
const changes = {
  title: "Changed since the previous output",
  carried: "what the generation that wrote this output changed; a rerun that changes nothing keeps this section as it is",
  first: "first generation: there was no previous output to compare with",
  none: "nothing: the output would be byte for byte the same",
  sections: {
    added: "Nodes added",
    removed: "Nodes removed",
    push: "Push to running nodes",
    renewed: "Renewed by the nodes themselves",
    apply: "Apply to the cluster",
    firstBoot: "First-boot files (nothing to do on a node that has joined)",
    operator: "Operator files",
    certificates: "Certificates",
    secrets: "CAs and secrets",
  },
  addedNode: (node: string, role: string, doc: string, join: string) =>
    `${node} (${role}): boot it with ${doc}${join === "credential" ? "; it joins with its own pre-issued credential (the bootstrap token may have expired)" : ""}`,
  joinsWithCredential: "(joins with its pre-issued credential)",
  removedNode: (node: string, role: string) => `${node} (${role}) left the profile (its certificates, if it had any, left the secrets file); remove it from the cluster:`,
  drain: (node: string) => `kubectl --kubeconfig kubeconfigs/admin.conf drain ${node} --ignore-daemonsets --delete-emptydir-data`,
  reset: (node: string) => `on ${node}, if it still runs: kubeadm reset -f`,
  etcdGone: (node: string, cp: string) =>
    `if ${node} is gone (kubeadm reset removes its etcd member itself): kubectl --kubeconfig kubeconfigs/admin.conf -n kube-system exec etcd-${cp} -- ${ETCDCTL} member list, then the same with member remove <the ID of ${node}>`,
  deleteNode: (node: string) => `kubectl --kubeconfig kubeconfigs/admin.conf delete node ${node}`,
  file: (path: string, change: string) => `${path} (${change})`,
  push: (node: string, files: string, then?: string) => `${node}: ${files}${then ? `; then: ${then}` : ""}`,
  renewed: (node: string, files: string) => `${node}: ${files} — re-issued for expiry only: push only where kubeseed-renew-certs.timer is off, or to re-provision`,
  firstBootFiles: (node: string, files: string) => `${node}: ${files}`,
  reprovision: (node: string, files: string) => `${node}: ${files} (only to provision it anew)`,
  apply: (node: string, path: string, then: string) => `${node}: ${path}; ${then}`,
  operatorFile: (path: string, change: string) => `${path} (${change})`,
  issued: (n: number, ids: string) => `issued ${n}: ${ids}`,
  andMore: (ids: string, more: number) => `${ids} and ${more} more`,
  reissued: (id: string, why: string) => `re-issued ${id}: ${why}`,
  dropped: (id: string) => `dropped ${id}`,
  reasons: {
    signer: "another CA signs it now",
    algorithm: "the key algorithm changed",
    subject: "its subject (CN/O) changed",
    usages: "its key usages changed",
    sans: (added: string, dropped: string) => `SANs changed${added ? `, added ${added}` : ""}${dropped ? `, dropped ${dropped}` : ""}`,
    expiry: (at: string) => `expires on ${at.slice(0, 10)}, within the renewal window`,
    rules: "its validity or kubeseed's certificate rules changed",
  } as const,
  secretsCreated: "created: new CAs, service-account key, bootstrap token and encryption key (a new secrets file)",
  secretsKept: "kept: a normal run never rotates a CA, the service-account key, the bootstrap token or the encryption key",
  caRotation: (step: string) => `the cluster CA is being rotated, step ${step}: every trust file and kubeconfig carries the current and the new CA, the current one still signs (gen secrets rotate-ca)`,
  then: {
    restartPods: (pattern: string) => `crictl pods --namespace kube-system --name '^(${pattern})-' --state ready -q | xargs -r crictl stopp (the kubelet makes them anew)`,
    reload: (service: string) => `systemctl reload ${service}`,
    restart: (units: string) => `systemctl restart ${units}`,
    kubeletWatches: "nothing more: the kubelet applies a changed static Pod manifest by itself",
    enableTimer: "systemctl daemon-reload && systemctl enable --now kubeseed-renew-certs.timer",
    restartFirewall: "systemctl daemon-reload && systemctl restart kubeseed-firewall",
    applyCni: "kubectl --kubeconfig kubeconfigs/admin.conf apply -f this file",
  },
};

/** Texts of the Ignition configs (bundle/ignition.ts) and the files lock (io/files-lock.ts). */
const ignition = {
  hashMissing: (url: string, file: string) => `no sha256 for ${url} in ${file}`,
  hashMissingHint: (url: string) =>
    `kubeseed cannot download it to hash it: write the lock on a connected machine (the air-gap mirror script does), or copy the published checksum (${url.startsWith("https://dl.k8s.io/") ? `${url}.sha256` : "the release page's .sha256 file"}) into it; or set spec.host.kubernetesPackages: preinstalled when the image has the programs`,
  lockIncomplete: (file: string, n: number, node: string, os: string) => `${file} lacks the hash of ${n} file${n === 1 ? "" : "s"} that Ignition downloads on ${node} (${os})`,
  lockUnreadable: (file: string, reason: string) => `cannot read the files lock ${file}: ${reason}`,
  lockInvalid: (file: string, reason: string) => `${file} is not a kubeseed files lock (format kubeseed.files-lock/v1): ${reason}`,
};

export const messages = {
  report: {
    caKey: (ca: string) => `${ca} CA private key`, saKey: "service-account signing key (sa.key)", bootstrapToken: "bootstrap token",
    encryptionKey: "encryption-at-rest key (encryption-config.yaml)",
    keepSecrets: "keep the secrets file (default secrets/NAME.yaml) safe: it holds the CA keys, and every later run reuses it",
    mirrorImages: (registry: string) => `mirror the images: registry/mirror.sh save on a connected machine, then registry/mirror.sh push next to ${registry}`,
    mirrorPackages: (host: string) => `mirror the node packages: registry/mirror.sh save-packages and index-packages on a connected Debian 12 machine, then push-packages on ${host}, before any node boots`,
    bootFirst: (node: string, doc: string) => `boot ${node} first with ${doc} (it runs kubeadm init), then every other node`,
    watch: "watch a node: journalctl -u kubeseed-bootstrap; cat /var/lib/kubeseed/status", kubectl: "kubectl --kubeconfig kubeconfigs/admin.conf get nodes",
    lateJoin: (date: string) =>
      `the bootstrap token may have expired (it lives pki.bootstrapTokenTTL from kubeadm init, and the secrets were made so that it can have run out by ${date}): every joining node carries its own pre-issued credential (/etc/kubernetes/kubeadm/discovery.conf, deleted after the join) and joins with it, however long after init it boots`,
  },
  budget: {
    tooLarge: (path: string, counted: number, cloud: string, compressed: boolean) => `${path} is ${counted} bytes${compressed ? " even gzip-compressed" : ""}, over the ${cloud}`,
    more: (n: number, cloud: string, largest: number, nodes: readonly string[]) =>
      `and ${n} more node${n === 1 ? "" : "s"} over the ${cloud} (the largest of them ${largest} bytes): ${nodes.length > 8 ? `${nodes.slice(0, 8).join(", ")}, …` : nodes.join(", ")}`,
    hint: (parts: string[], gzip: boolean, ignition: boolean) =>
      `its largest parts: ${parts.join(", ")}. What helps: ECDSA keys (pki.keyAlgorithm: ecdsa-p256) instead of RSA; workers that join with the bootstrap token (pki.workerKubelet: bootstrap-token) carry no certificates; ` +
      `${ignition ? "serve the config from a URL that a small pointer config names (ignition.config.replace); " : gzip ? "" : "a cloud that lets gzip user-data reach cloud-init; "}a NoCloud seed ISO (--format iso) has no size limit`,
    failed: (n: number, cloud: string) => `${n} first-boot document${n === 1 ? "" : "s"} do${n === 1 ? "es" : ""} not fit the ${cloud}; nothing was written`,
    /** per cloud: how to hand nodes/NODE/cloud-init/user-data to it, as REPORT.md says it */
    upload: {
      none: "no cloud set (spec.cloud or --cloud): each user-data is a plain #cloud-config for a NoCloud seed (--format iso) or any cloud's user-data field; set the cloud to have its limit checked and the form it accepts written",
      aws: "give nodes/NODE/cloud-init/user-data as the instance's user data exactly as written (gzip bytes when compressed): aws ec2 run-instances --user-data fileb://nodes/NODE/cloud-init/user-data (the CLI base64-encodes it; the 16,384-byte limit counts the file)",
      hetzner: "paste or upload nodes/NODE/cloud-init/user-data as the server's user data exactly as written: hcloud server create --user-data-from-file nodes/NODE/cloud-init/user-data; a compressed document is the base64 text of its gzip on one line, which cloud-init's Hetzner datasource decodes (the 32 KiB limit counts that text)",
      azure: "give nodes/NODE/cloud-init/user-data as customData: az vm create --custom-data nodes/NODE/cloud-init/user-data for a text document; a gzip-compressed one (binary) goes through the API, base64-encoded (Terraform custom_data = filebase64(\"…/user-data\")); the limit counts the decoded bytes",
      digitalocean: "paste nodes/NODE/cloud-init/user-data as the Droplet's user data, or doctl compute droplet create --user-data-file nodes/NODE/cloud-init/user-data (plain text only: DigitalOcean takes no gzip)",
      openstack: "openstack server create --user-data nodes/NODE/cloud-init/user-data (the client base64-encodes it, gzip bytes included; Nova's limit counts that base64 text)",
      gcp: "gcloud compute instances create --metadata-from-file user-data=nodes/NODE/cloud-init/user-data; a compressed document is the base64 text of its gzip: add --metadata user-data-encoding=base64 so that cloud-init decodes it",
    },
  },
  registry: {
    lockInvalid: (file: string, why: string) => `${file} is not an image lock written by mirror.sh: ${why}`,
    lockUnreadable: (file: string, code: string) => `cannot read the image lock ${file} (${code})`,
    lockUsed: (file: string, pinned: number) => `image lock ${file}: ${pinned} images pinned by digest\n`,
    lockFormat: (format: string) => `format must be ${format}`, lockMapping: (key: string, what: string) => `${key} must be a mapping of ${what}`,
    lockDigest: (ref: string) => `${ref}: the digest must be sha256:<64 lower-case hex digits>`, lockSha256: (url: string) => `${url}: sha256 must be 64 lower-case hex digits`,
  },
  profile,
  secrets,
  pki,
  io,
  cli,
  bootstrap,
  renewal,
  rotateCa,
  expiry,
  changes,
  ignition,
  options: optionsMessages,
};
