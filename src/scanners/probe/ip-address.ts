/**
 * IP addresses and CIDR blocks for scope decisions, without a dependency and without DNS.
 *
 * Threat assumption: a target string, a DNS answer and an --allow-target value are all attacker-
 * influenced (a hostile workspace, a rebinding DNS server). Every address is parsed into its bytes
 * and compared as bytes, never as text, so `::ffff:169.254.169.254`, `0:0:0:0:0:ffff:a9fe:a9fe` and
 * `169.254.169.254` are one address. IPv4 embedded in IPv4-mapped (::ffff:0:0/96) and NAT64
 * (64:ff9b::/96) addresses is unwrapped before classification, since a connection to either can
 * reach the IPv4 host.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

function parseIPv4(text: string): Uint8Array | undefined {
  if (!isIPv4(text)) return undefined;
  return Uint8Array.from(text.split('.').map((p) => Number(p)));
}

function parseIPv6(text: string): Uint8Array | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let head = text;
  let tailV4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    tailV4 = parseIPv4(last);
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const toGroups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const l = toGroups(left);
  const r = right === undefined ? [] : toGroups(right);
  const missing = 8 - l.length - r.length;
  const groups = right === undefined ? l : [...l, ...new Array<number>(missing).fill(0), ...r];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (tailV4 !== undefined) bytes.set(tailV4, 12);
  return bytes;
}

/** Parses a literal address (brackets around IPv6 allowed); undefined for anything else. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(bare);
  if (v4 !== undefined) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(bare);
  if (v6 !== undefined) return { family: 6, bytes: v6 };
  return undefined;
}

/** The IPv4 address carried by an IPv4-mapped or NAT64 IPv6 address, else the address itself. */
export function unwrapIPv4(ip: IpAddress): IpAddress {
  if (ip.family !== 6) return ip;
  const b = ip.bytes;
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.subarray(4, 12).every((x) => x === 0);
  if (mapped || nat64) return { family: 4, bytes: b.slice(12, 16) };
  return ip;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  // Compress the longest run of zero groups (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses `ADDRESS/PREFIX` (or a bare address, as a single-address block). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseIp(addressText);
  if (address === undefined) return undefined;
  const max = address.family === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix };
}

export function cidrContains(cidr: Cidr, candidate: IpAddress): boolean {
  const ip = cidr.address.family === 4 ? unwrapIPv4(candidate) : candidate;
  if (ip.family !== cidr.address.family) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((cidr.address.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** True when every address of `inner` lies inside `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.address.family === outer.address.family && inner.prefix >= outer.prefix && cidrContains(outer, inner.address);
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.address)}/${cidr.prefix}`;
}
