/**
 * The sshd drop-in /etc/ssh/sshd_config.d/10-kubeseed.conf. Debian 12's sshd_config includes
 * sshd_config.d/*.conf on its first line and sshd keeps the FIRST value of a keyword, so every
 * setting here wins over the distribution's (e.g. its `X11Forwarding yes`).
 * Two levels, a DATA table (STYLE rule 9): `relaxed` holds seed 000's requirements (public keys only
 * for everyone, no root login, TCP forwarding allowed for the admins' tunnels, nothing else forwarded);
 * `strict` adds seed 000's hardening (IPv4 only, ed25519 host key, its Kex/Ciphers/MACs/key types,
 * logging and session limits).
 * Guarantees: pure; one `Keyword value` per line in table order; `strict` writes seed 000's
 * `ListenAddress 0.0.0.0:22` (all IPv4 addresses, port 22: the firewall decides who reaches it) and both
 * levels its `AcceptEnv LANG LC_*` (Debian's own sshd_config accepts the same; AcceptEnv adds up).
 * It does not create host keys (Debian's openssh-server package does, at install time).
 */
import type { ClusterModel } from "../../model/types.js";
import { GENERATED_HEADER } from "../../core/generated.js";

type Level = "relaxed" | "strict";

interface SshdRow {
  keyword: string;
  value: string;
  /** the lowest level that writes the row: relaxed rows are also in strict */
  from: Level;
  comment?: string;
}

const ED25519_ONLY = "ssh-ed25519-cert-v01@openssh.com,ssh-ed25519";

export const SSHD_ROWS: readonly SshdRow[] = [
  // authentication: seed 000 requirement 6, both levels
  { keyword: "AuthenticationMethods", value: "publickey", from: "relaxed", comment: "public key authentication for everyone" },
  { keyword: "PubkeyAuthentication", value: "yes", from: "relaxed" },
  { keyword: "PasswordAuthentication", value: "no", from: "relaxed" },
  { keyword: "PermitEmptyPasswords", value: "no", from: "relaxed" },
  { keyword: "KbdInteractiveAuthentication", value: "no", from: "relaxed" },
  { keyword: "HostbasedAuthentication", value: "no", from: "relaxed" },
  { keyword: "IgnoreRhosts", value: "yes", from: "relaxed" },
  { keyword: "PermitRootLogin", value: "no", from: "relaxed" },
  { keyword: "UsePAM", value: "yes", from: "relaxed", comment: "account and session checks of /etc/pam.d/sshd" },
  { keyword: "StrictModes", value: "yes", from: "relaxed" },
  // traffic: seed 000 requirement 5, both levels
  { keyword: "AllowTcpForwarding", value: "yes", from: "relaxed", comment: "admins tunnel the API and the dashboard over ssh" },
  { keyword: "GatewayPorts", value: "no", from: "relaxed", comment: "forwarded ports listen on localhost only" },
  { keyword: "X11Forwarding", value: "no", from: "relaxed" },
  { keyword: "AllowAgentForwarding", value: "no", from: "relaxed" },
  { keyword: "PermitTunnel", value: "no", from: "relaxed" },
  // network: strict
  { keyword: "AddressFamily", value: "inet", from: "strict", comment: "IPv4 only (the node firewall drops IPv6)" },
  { keyword: "ListenAddress", value: "0.0.0.0:22", from: "strict", comment: "all interfaces, port 22, IPv4 only" },
  { keyword: "TCPKeepAlive", value: "yes", from: "strict" },
  { keyword: "UseDNS", value: "no", from: "strict" },
  // algorithms and keys: strict
  { keyword: "HostKey", value: "/etc/ssh/ssh_host_ed25519_key", from: "strict", comment: "the only host key offered" },
  { keyword: "HostKeyAlgorithms", value: ED25519_ONLY, from: "strict" },
  { keyword: "KexAlgorithms", value: "curve25519-sha256", from: "strict" },
  { keyword: "Ciphers", value: "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com", from: "strict" },
  { keyword: "MACs", value: "hmac-sha2-512-etm@openssh.com", from: "strict" },
  // seed 000 writes PubkeyAcceptedKeyTypes, the name OpenSSH 8.5 replaced by this one (9.2 accepts both)
  { keyword: "PubkeyAcceptedAlgorithms", value: ED25519_ONLY, from: "strict", comment: "client keys: ed25519 only" },
  { keyword: "IgnoreUserKnownHosts", value: "yes", from: "strict" },
  { keyword: "HostbasedUsesNameFromPacketOnly", value: "no", from: "strict" },
  // session and logs: strict
  { keyword: "PrintLastLog", value: "yes", from: "strict" },
  { keyword: "LoginGraceTime", value: "30", from: "strict" },
  { keyword: "MaxStartups", value: "5:50:20", from: "strict" },
  { keyword: "ClientAliveInterval", value: "0", from: "strict" },
  { keyword: "ClientAliveCountMax", value: "0", from: "strict" },
  { keyword: "AcceptEnv", value: "LANG LC_*", from: "relaxed", comment: "the client's locale, nothing else" },
  { keyword: "LogLevel", value: "VERBOSE", from: "strict", comment: "logs the key fingerprint of each login" },
  { keyword: "SyslogFacility", value: "AUTH", from: "strict" },
];

const INCLUDED: Record<Level, readonly Level[]> = { relaxed: ["relaxed"], strict: ["relaxed", "strict"] };

/** The drop-in text for the model's hardening level. */
export function renderSshdDropIn(model: ClusterModel): string {
  const level = model.host.sshHardening;
  const rows = SSHD_ROWS.filter((r) => INCLUDED[level].includes(r.from));
  const lines = rows.flatMap((r) => [...(r.comment ? [`# ${r.comment}`] : []), `${r.keyword} ${r.value}`]);
  return `${GENERATED_HEADER}# sshd hardening: ${level}. sshd keeps the first value of a keyword; this file is read first.\n${lines.join("\n")}\n`;
}
