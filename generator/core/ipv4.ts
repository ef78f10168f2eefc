/**
 * IPv4 address and CIDR arithmetic on unsigned 32-bit numbers.
 * Guarantees: pure; parse functions return undefined for malformed input instead of throwing.
 */
export interface Cidr {
  network: number;
  prefix: number;
  /** number of addresses in the block */
  size: number;
}

export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, ...rest] = text.split("/");
  if (rest.length || bits === undefined || !/^\d{1,2}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const ip = parseIPv4(addr);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = prefix === 0 ? 0 : (ip - (ip % size)) >>> 0;
  return { network, prefix, size };
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.network && ip < c.network + c.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

/** The n-th address of a block (0 = network address). */
export function nthAddress(c: Cidr, n: number): string {
  return formatIPv4(c.network + n);
}

/** `address:port` of an IPv4 address (haproxy's server lines, kubeconfig URLs). */
export function hostPort(address: string, port: number): string {
  return `${address}:${port}`;
}
