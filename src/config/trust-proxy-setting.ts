import { isIP } from "node:net";
import type { TrustProxy } from "./schema.ts";

/** More proxies than this in front of one server is a typo, not a deployment. */
const MAX_HOPS = 32;

/**
 * Reads trustProxy from a flag, the environment or the JSON file: true/false/yes/no (true is one
 * hop, as the old boolean meant), a number of hops (0 is off), or proxy addresses and CIDR ranges,
 * comma-separated or (in the file) as an array. Returns an error message for anything else.
 */
export function parseTrustProxy(value: unknown): TrustProxy | string {
  if (value === false || value === null || value === undefined) return false;
  if (value === true) return { hops: 1 };
  if (typeof value === "number") return hops(value);
  const entries: unknown[] | null = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : null;
  if (!entries) return describe();
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (word === "" || word === "false" || word === "no") return false;
    if (word === "true" || word === "yes") return { hops: 1 };
    if (/^\d+$/.test(word)) return hops(Number(word));
  }
  const proxies: string[] = [];
  for (const entry of entries) {
    const text = typeof entry === "string" ? entry.trim() : "";
    if (!isProxyAddress(text)) return describe(`"${String(entry).slice(0, 60)}" is not an IP address or CIDR range`);
    proxies.push(text);
  }
  if (proxies.length === 0) return describe("the list is empty");
  return Object.freeze({ proxies: Object.freeze(proxies) });
}

function hops(n: number): TrustProxy | string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_HOPS) return describe(`a number of hops is 0 to ${MAX_HOPS}`);
  return n === 0 ? false : Object.freeze({ hops: n });
}

/** An IPv4 or IPv6 address, optionally with a /prefix that fits its family. */
function isProxyAddress(text: string): boolean {
  const [address = "", prefix, extra] = text.split("/");
  if (extra !== undefined || address.includes("%")) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const describe = (why?: string) =>
  `trustProxy must be true, false, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges${why ? ` (${why})` : ""}`;
