import { describe, expect, test } from "bun:test";
import { parseTrustProxy } from "../config/trust-proxy-setting.ts";
import type { TrustProxy } from "../config/index.ts";
import { clientAddress } from "./client-address.ts";

const list = (text: string): TrustProxy => {
  const parsed = parseTrustProxy(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
};

describe("trust off", () => {
  test("the socket peer is the client and every forwarded header is ignored", () => {
    expect(clientAddress("1.2.3.4", "127.0.0.1", false)).toEqual({ ip: "127.0.0.1", forwardedTrusted: false });
    expect(clientAddress(null, null, false)).toEqual({ ip: "unknown", forwardedTrusted: false });
  });
});

describe("N trusted hops", () => {
  test("one hop: the right-most entry, which the proxy appended, never the client-written left", () => {
    expect(clientAddress("6.6.6.6, 203.0.113.7", "10.0.0.1", { hops: 1 })).toEqual({ ip: "203.0.113.7", forwardedTrusted: true });
    expect(clientAddress("6.6.6.6,7.7.7.7,203.0.113.7", "10.0.0.1", { hops: 1 }).ip).toBe("203.0.113.7");
  });

  test("two hops: the second entry from the right", () => {
    expect(clientAddress("6.6.6.6, 203.0.113.7, 10.0.0.2", "10.0.0.1", { hops: 2 }).ip).toBe("203.0.113.7");
  });

  test("fewer entries than hops: the left-most address there is", () => {
    expect(clientAddress("203.0.113.7", "10.0.0.1", { hops: 3 }).ip).toBe("203.0.113.7");
    expect(clientAddress(null, "10.0.0.1", { hops: 1 })).toEqual({ ip: "10.0.0.1", forwardedTrusted: true });
    expect(clientAddress("  ", "10.0.0.1", { hops: 1 }).ip).toBe("10.0.0.1");
  });

  test("a malformed entry ends the walk at the last trusted hop's address", () => {
    expect(clientAddress("203.0.113.7, not-an-ip", "10.0.0.1", { hops: 1 }).ip).toBe("10.0.0.1");
    expect(clientAddress("garbage, 203.0.113.7", "10.0.0.1", { hops: 2 }).ip).toBe("203.0.113.7");
    expect(clientAddress("1.2.3.4,,203.0.113.7", "10.0.0.1", { hops: 2 }).ip).toBe("203.0.113.7");
    expect(clientAddress("203.0.113.7:4711", "10.0.0.1", { hops: 1 }).ip).toBe("10.0.0.1");
    expect(clientAddress("[2001:db8::1]", "10.0.0.1", { hops: 1 }).ip).toBe("10.0.0.1");
    // An address with a zone id padded past any real address length: not a key an attacker may grow.
    expect(clientAddress(`fe80::1%${"a".repeat(40)}`, "10.0.0.1", { hops: 1 }).ip).toBe("10.0.0.1");
  });

  test("IPv6 entries are addresses like any other", () => {
    expect(clientAddress("2001:db8::7", "::1", { hops: 1 }).ip).toBe("2001:db8::7");
  });
});

describe("a list of trusted proxies", () => {
  const trust = list("10.0.0.0/8,192.168.1.5,2001:db8:ffff::/48");

  test("skips listed proxies from the right and stops at the first address not listed", () => {
    expect(clientAddress("6.6.6.6, 203.0.113.7, 10.9.9.9", "192.168.1.5", trust)).toEqual({ ip: "203.0.113.7", forwardedTrusted: true });
    expect(clientAddress("6.6.6.6, 2001:db8::7, 2001:db8:ffff::2", "10.0.0.1", trust).ip).toBe("2001:db8::7");
  });

  test("a client who writes a trusted-looking address on the left gains nothing: the walk stopped before it", () => {
    expect(clientAddress("10.0.0.5, 203.0.113.7", "10.0.0.1", trust).ip).toBe("203.0.113.7");
  });

  test("when every entry is a listed proxy, the left-most one is the client", () => {
    expect(clientAddress("10.0.0.3, 10.0.0.2", "10.0.0.1", trust).ip).toBe("10.0.0.3");
  });

  test("a peer that is not listed: its own address, and forwarded headers do not count", () => {
    expect(clientAddress("203.0.113.7", "127.0.0.1", trust)).toEqual({ ip: "127.0.0.1", forwardedTrusted: false });
    expect(clientAddress("203.0.113.7", "192.168.1.6", trust)).toEqual({ ip: "192.168.1.6", forwardedTrusted: false });
    expect(clientAddress("203.0.113.7", null, trust)).toEqual({ ip: "unknown", forwardedTrusted: false });
  });

  test("a dual-stack listener's IPv4-mapped peer matches an IPv4 entry", () => {
    expect(clientAddress("203.0.113.7", "::ffff:10.1.2.3", trust)).toEqual({ ip: "203.0.113.7", forwardedTrusted: true });
  });

  test("a malformed entry ends the walk at the last trusted hop's address", () => {
    expect(clientAddress("203.0.113.7, nonsense, 10.0.0.2", "10.0.0.1", trust).ip).toBe("10.0.0.2");
    expect(clientAddress("nonsense", "10.0.0.1", trust)).toEqual({ ip: "10.0.0.1", forwardedTrusted: true });
  });

  test("ranges hold exactly what their prefix says", () => {
    const narrow = list("10.0.0.0/31,2001:db8::/127");
    expect(clientAddress("203.0.113.7", "10.0.0.1", narrow).forwardedTrusted).toBe(true);
    expect(clientAddress("203.0.113.7", "10.0.0.2", narrow).forwardedTrusted).toBe(false);
    expect(clientAddress("203.0.113.7", "2001:db8::1", narrow).forwardedTrusted).toBe(true);
    expect(clientAddress("203.0.113.7", "2001:db8::2", narrow).forwardedTrusted).toBe(false);
  });
});
