/**
 * Refuses outbound fetches to internal destinations (SSRF): a credential names
 * its status list URI, so a holder or a careless issuer could point Sigil at
 * its own loopback, the cloud metadata address or the private network.
 * The host is resolved and every address checked; an IP literal is checked as is.
 * What remains: fetch resolves the name again when it connects, so a DNS
 * answer that changes in between (rebinding) is not caught here; only a
 * connect-time check (a resolver pinned into the socket) or an egress firewall would.
 * @see https://www.rfc-editor.org/rfc/rfc6890 (special-purpose address registries)
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
 */
import { lookup } from "node:dns/promises";
import { isIPv4, isIPv6 } from "node:net";

/** Resolves a host name to all its addresses (both families). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export const resolveWithDns: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

const IPV4_RANGES: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared (CGNAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignment"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved or broadcast"],
];

const IPV6_RANGES: Array<[string, number, string]> = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["fc00::", 7, "unique local (private)"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits (or bits 16–48 for 6to4): judged by that address. */
const EMBEDDED_IPV4: Array<[string, number, number]> = [
  ["::ffff:0:0", 96, 12], // IPv4-mapped, RFC 4291 §2.5.5.2
  ["::", 96, 12], // IPv4-compatible (deprecated), RFC 4291 §2.5.5.1
  ["64:ff9b::", 96, 12], // NAT64, RFC 6052
  ["2002::", 16, 2], // 6to4, RFC 3056
];

/**
 * Why an IP address is internal (loopback, private, link-local, CGNAT,
 * unspecified, multicast, reserved, or an IPv6 form embedding one), or
 * undefined for a public address. Anything unparsable counts as internal.
 */
export function internalAddressReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(bare)) return ipv4Reason(ipv4Bytes(bare));
  if (!isIPv6(bare)) return "not an IP address";
  const bytes = ipv6Bytes(bare);
  for (const [prefix, bits, name] of IPV6_RANGES) if (inPrefix(bytes, ipv6Bytes(prefix), bits)) return name;
  for (const [prefix, bits, offset] of EMBEDDED_IPV4) {
    if (!inPrefix(bytes, ipv6Bytes(prefix), bits)) continue;
    const reason = ipv4Reason(bytes.slice(offset, offset + 4));
    return reason ? `${reason} (embedded in IPv6)` : undefined;
  }
  return undefined;
}

/**
 * Throws unless every address `hostname` stands for is public. An IP literal
 * (with or without brackets) is checked without a lookup.
 */
export async function assertPublicDestination(hostname: string, resolve: ResolveHost = resolveWithDns): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  const addresses = isIPv4(bare) || isIPv6(bare) ? [bare] : await resolve(bare);
  if (addresses.length === 0) throw new Error(`${hostname} resolves to no address`);
  for (const address of addresses) {
    const reason = internalAddressReason(address);
    if (reason) throw new Error(`${hostname} resolves to ${address}, a ${reason} address`);
  }
}

function ipv4Reason(bytes: Uint8Array): string | undefined {
  for (const [prefix, bits, name] of IPV4_RANGES) if (inPrefix(bytes, ipv4Bytes(prefix), bits)) return name;
  return undefined;
}

function ipv4Bytes(address: string): Uint8Array {
  return Uint8Array.from(address.split(".").map(Number));
}

/** 16 bytes of an IPv6 address, `::` and a trailing dotted quad included (isIPv6 has validated it). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = ipv4Bytes(quad[1]!);
    text = `${text.slice(0, quad.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

function inPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((bytes[bit >> 3]! & mask) !== (prefix[bit >> 3]! & mask)) return false;
  }
  return true;
}
