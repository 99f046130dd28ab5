import { describe, expect, test } from "bun:test";
import { assertPublicDestination, internalAddressReason } from "./fetch-destination.ts";

describe("internalAddressReason", () => {
  const internal: Array<[string, RegExp]> = [
    ["127.0.0.1", /loopback/], ["127.255.255.254", /loopback/], ["0.0.0.0", /unspecified/],
    ["10.0.0.1", /private/], ["172.16.0.1", /private/], ["172.31.255.255", /private/], ["192.168.1.1", /private/],
    ["169.254.169.254", /link-local/], ["100.64.0.1", /CGNAT/], ["100.127.255.255", /CGNAT/],
    ["224.0.0.1", /multicast/], ["255.255.255.255", /broadcast/], ["198.18.0.1", /benchmarking/],
    ["::", /unspecified/], ["::1", /loopback/], ["[::1]", /loopback/], ["fe80::1%eth0", /link-local/], ["febf::1", /link-local/],
    ["fc00::1", /unique local/], ["fdff:ffff::1", /unique local/], ["ff02::1", /multicast/], ["fec0::1", /site-local/],
    ["::ffff:127.0.0.1", /loopback \(embedded/], ["::ffff:a9fe:a9fe", /link-local \(embedded/], ["0:0:0:0:0:ffff:0a00:0001", /private \(embedded/],
    ["::127.0.0.1", /loopback \(embedded/], ["64:ff9b::10.0.0.1", /private \(embedded/], ["2002:7f00:1::", /loopback \(embedded/],
    ["not an address", /not an IP/], ["", /not an IP/],
  ];
  for (const [address, reason] of internal) {
    test(`${address || "(empty)"} is internal`, () => expect(internalAddressReason(address)).toMatch(reason));
  }

  const publicAddresses = [
    "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "169.253.255.255", "223.255.255.255",
    "2606:4700:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1", "fbff::1", "fe7f::1",
  ];
  for (const address of publicAddresses) {
    test(`${address} is public`, () => expect(internalAddressReason(address)).toBeUndefined());
  }
});

describe("assertPublicDestination", () => {
  test("checks an IP literal without resolving it", async () => {
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return ["8.8.8.8"];
    };
    await expect(assertPublicDestination("[::1]", resolve)).rejects.toThrow(/loopback/);
    await expect(assertPublicDestination("169.254.169.254", resolve)).rejects.toThrow(/link-local/);
    await assertPublicDestination("8.8.4.4", resolve);
    expect(lookups).toBe(0);
  });

  test("refuses a name when any one of its addresses is internal, and one that resolves to nothing", async () => {
    await expect(assertPublicDestination("mixed.test", async () => ["8.8.8.8", "10.1.2.3"])).rejects.toThrow(/mixed\.test resolves to 10\.1\.2\.3, a private address/);
    await expect(assertPublicDestination("empty.test", async () => [])).rejects.toThrow(/no address/);
    await assertPublicDestination("public.test", async () => ["8.8.8.8", "2606:4700:4700::1111"]);
  });

  test("resolves names with the system resolver by default: localhost is loopback", async () => {
    await expect(assertPublicDestination("localhost")).rejects.toThrow(/loopback/);
  });
});
