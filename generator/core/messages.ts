/**
 * Every user-facing text in one place (STYLE rule 6): diagnostic messages, hints, error titles.
 * Guarantees: pure functions of their arguments, no I/O, no trailing newline unless a section says
 * otherwise. Each stage owns one section; add new texts to your section, never inline them in code.
 */
import { optionsMessages } from "./messages-options.js";
import { changes, expiry, renewal, rotateCa } from "./messages-day-two.js";
import { list, quote } from "./message-format.js";
import { profile } from "./messages-profile.js";
import { BOOTSTRAP_PROGRAM, STATUS_FILE } from "./node-names.js";


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
  upToDate: (out: string, files: number, ms: number) =>
    `${out} is up to date: its ${files} files are as the last run wrote them, and the profile, the secrets file, the locks and kubeseed are unchanged; nothing written (--rewrite writes it again) (${ms} ms)\n`,
  generated: (r: { out: string; files: number; nodes: number; issued: number; reused: number; removed: number; ms: number }) =>
    `wrote ${r.out}: ${r.files} files for ${r.nodes} nodes; certificates: ${r.issued} issued, ${r.reused} reused` +
    `${r.removed ? `, ${r.removed} dropped` : ""} (${r.ms} ms)\n`,
};

/**
 * Texts of the first-boot script kubeseed-bootstrap (render/bootstrap/): its journal lines and the
 * message= line of STATUS_FILE (core/node-names.ts). One line each. Arguments are run-time values (the
 * renderer passes bash variable placeholders), so no text may depend on their content.
 */
const bootstrap = {
  alreadyDone: (marker: string) => `already bootstrapped (${marker} exists): nothing to do`,
  assemble: (dir: string) => `assembling the files the first-boot document carried as templates (${dir}): kubeconfigs from the PEM files`,
  badSeconds: (name: string, value: string) => `${name}=${value} is not a whole number of seconds`,
  start: (node: string, role: string) => `bootstrapping ${node} as ${role}`,
  missingProgram: (program: string) => `required program ${program} not found on PATH: install it (kubeseed-install-kubernetes or the node image), then systemctl restart ${BOOTSTRAP_PROGRAM}`,
  kubeadmSkipped: (marker: string) => `kubeadm already completed on this node (${marker} exists)`,
  kubeadmLeftovers: (traces: string, log: string) =>
    `an earlier kubeadm run on this node stopped midway (it left ${traces}, and the cluster does not show it finished; see ${log}); kubeseed never runs kubeadm reset: ` +
    `find the cause with journalctl -u kubelet -u ${BOOTSTRAP_PROGRAM}, run kubeadm reset -f yourself, then systemctl restart ${BOOTSTRAP_PROGRAM}`,
  kubeadmFoundFinished: (traces: string) => `an earlier kubeadm run finished (it left ${traces} and the cluster shows this node joined): not running it again`,
  kubeadmValidate: (config: string) => `checking ${config} with kubeadm config validate`,
  kubeadmConfigInvalid: (config: string) => `kubeadm refuses ${config} (see the lines above): regenerate this node's files with a kubeseed and kubeadm of the same version, then systemctl restart ${BOOTSTRAP_PROGRAM}`,
  kubeadmFailedMidway: (command: string, code: string, traces: string, log: string) =>
    `${command} failed with exit code ${code} after it had started changing this node (it left ${traces}); its output is in the journal and in ${log}; ` +
    `kubeseed never runs kubeadm reset: find the cause, run kubeadm reset -f yourself, then systemctl restart ${BOOTSTRAP_PROGRAM}`,
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
    `(discovery.bootstrapToken.token and discovery.tlsBootstrapToken), or regenerate this node's files with kubeseed, then systemctl restart ${BOOTSTRAP_PROGRAM}`,
  cni: (manifest: string) => `applying the CNI manifest ${manifest}`,
  cniFailed: (seconds: string) => `the API server did not accept the CNI manifest within ${seconds}s; see the kubectl lines above`,
  adminKubeconfig: (path: string, user: string) => `installing the admin kubeconfig ${path} for ${user}`,
  noAdminHome: (home: string, user: string) => `the home directory ${home} of ${user} does not exist (cloud-init creates it)`,
  done: "bootstrap complete",
  unexpected: (line: string, code: string, program = BOOTSTRAP_PROGRAM) => `unexpected failure at line ${line} of ${program} (exit code ${code}); see journalctl -u ${program}`,
};

/** Texts of the Ignition configs (bundle/ignition.ts) and the files lock (io/files-lock.ts). */
const ignition = {
  hashMissing: (url: string, file: string) => `no sha256 for ${url} in ${file}`,
  hashMissingHint: (url: string) =>
    `kubeseed cannot download it to hash it: write the lock on a connected machine (the air-gap mirror script does), or copy the published checksum (${url.startsWith("https://dl.k8s.io/") ? `${url}.sha256` : "the release page's .sha256 file"}) into it; or set spec.host.kubernetesPackages: preinstalled when the image has the programs`,
  lockIncomplete: (file: string, n: number, nodes: readonly string[]) =>
    `${file} lacks the hash of ${n} file${n === 1 ? "" : "s"} that Ignition downloads on ${nodes.length > 3 ? `${nodes.slice(0, 3).join(", ")} and ${nodes.length - 3} more nodes` : nodes.join(", ")}`,
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
    watch: `watch a node: journalctl -u ${BOOTSTRAP_PROGRAM}; cat ${STATUS_FILE}`, kubectl: "kubectl --kubeconfig kubeconfigs/admin.conf get nodes",
    lateJoin: (date: string) =>
      `the bootstrap token may have expired (it lives pki.bootstrapTokenTTL from kubeadm init, and the secrets were made so that it can have run out by ${date}): every joining node carries its own pre-issued credential (/etc/kubernetes/kubeadm/discovery.conf, deleted after the join) and joins with it, however long after init it boots`,
  },
  budget: {
    tooLarge: (path: string, counted: number, cloud: string, compressed: boolean) => `${path} is ${counted} bytes${compressed ? " even gzip-compressed" : ""}, over the ${cloud}`,
    more: (n: number, cloud: string, largest: number, nodes: readonly string[]) =>
      `and ${n} more node${n === 1 ? "" : "s"} over the ${cloud} (the largest of them ${largest} bytes): ${nodes.length > 8 ? `${nodes.slice(0, 8).join(", ")}, …` : nodes.join(", ")}`,
    hint: (parts: string[], gzip: boolean, ignition: boolean) =>
      `its largest parts: ${parts.join(", ")}. What helps: ECDSA keys (pki.keyAlgorithm: ecdsa-p256) instead of RSA; workers that join with the bootstrap token (pki.workerKubelet: bootstrap-token) carry no certificates; control planes whose own certificates and kubeconfigs kubeadm issues on the node (pki.controlPlaneCertificates: on-node) carry only the CAs; ` +
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
