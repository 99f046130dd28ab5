import { BlockList, isIP } from "node:net";
import type { TrustProxy } from "../config/index.ts";

// Who the client is behind proxies. X-Forwarded-For is read from the right, because each proxy
// appends the address it saw and only what the trusted proxies appended can be believed; the left
// is whatever the client wrote. Same rules as nginx's real_ip_recursive and Express's "trust proxy".
// Deliberately not read: the Forwarded header (RFC 7239); X-Forwarded-For is what nginx, HAProxy
// and the cloud load balancers send.

export interface ClientAddress {
  /** The client's address, to key limits and fill audit lines. */
  readonly ip: string;
  /** Whether the request came through a trusted proxy, so that X-Forwarded-Host and -Proto count too. */
  readonly forwardedTrusted: boolean;
}

/** An entry longer than any address is garbage, not an address to key a limit on. */
const MAX_ADDRESS_LENGTH = 45;

/**
 * `forwardedFor` is the X-Forwarded-For header (several headers joined by commas, in order);
 * `peer` is the socket's remote address. With N hops the client is N addresses from the right of
 * [entries..., peer]; with a list, the walk from the right skips listed proxies and stops at the
 * first address not listed, and headers count only when the peer itself is listed. A malformed
 * entry ends the walk at the last address a trusted hop vouched for.
 * @see https://nginx.org/en/docs/http/ngx_http_realip_module.html#real_ip_recursive
 * @see https://expressjs.com/en/guide/behind-proxies.html
 */
export function clientAddress(forwardedFor: string | null, peer: string | null, trust: TrustProxy): ClientAddress {
  const socket = peer ?? "unknown";
  if (trust === false) return { ip: socket, forwardedTrusted: false };
  const entries = forwardedFor === null || forwardedFor.trim() === "" ? [] : forwardedFor.split(",").map((entry) => entry.trim());
  if ("hops" in trust) {
    let client = socket;
    for (let position = 1; position <= trust.hops && position <= entries.length; position++) {
      const entry = entries[entries.length - position]!;
      if (!isAddress(entry)) break;
      client = entry;
    }
    return { ip: client, forwardedTrusted: true };
  }
  const proxies = proxyList(trust.proxies);
  if (peer === null || !isListed(proxies, peer)) return { ip: socket, forwardedTrusted: false };
  let client = peer;
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (!isAddress(entry)) break;
    client = entry;
    if (!isListed(proxies, entry)) break;
  }
  return { ip: client, forwardedTrusted: true };
}

const isAddress = (entry: string): boolean => entry.length <= MAX_ADDRESS_LENGTH && isIP(entry) !== 0;

/** IPv4-mapped IPv6 peers (::ffff:10.0.0.1, from a dual-stack listener) match IPv4 entries: BlockList does that. */
function isListed(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The configured list, compiled once per configuration (the setting is frozen, so it keys a cache). */
const compiled = new WeakMap<readonly string[], BlockList>();

function proxyList(entries: readonly string[]): BlockList {
  let list = compiled.get(entries);
  if (list) return list;
  list = new BlockList();
  for (const entry of entries) {
    // Entries were validated when the configuration was read (config/trust-proxy-setting.ts).
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  compiled.set(entries, list);
  return list;
}
