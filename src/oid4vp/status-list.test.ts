import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestIssuer } from "../../test/support/wallet/test-issuer.ts";
import type { TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { checkStatusValue, createStatusListFetcher, verifyStatusListToken } from "./status-list.ts";
import { createTrustStore } from "./trust-store.ts";
import type { TrustStore } from "./trust-store.ts";

let issuer: TestIssuer;
let trust: TrustStore;
const now = () => Math.floor(Date.now() / 1000);
/** issuer.test has no DNS: stand in a public (RFC 5737 documentation) address for it. */
const resolveHost = async () => ["203.0.113.7"];

beforeAll(async () => {
  issuer = await createTestIssuer();
  trust = await createTrustStore([issuer.ca.pem]);
});

async function checkOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "accepted";
  } catch (error) {
    return (error as { check?: string }).check ?? String(error);
  }
}

describe("status list fetching", () => {
  test("fetches over https, caches within ttl, and refuses http unless allowed", async () => {
    let calls = 0;
    const token = await issuer.statusListToken();
    const fetcher = createStatusListFetcher({
      resolveHost,
      fetch: async () => {
        calls++;
        return new Response(token);
      },
    });
    expect(await fetcher.fetchToken("https://issuer.test/status/1", now())).toBe(token);
    await fetcher.fetchToken("https://issuer.test/status/1", now());
    expect(calls).toBe(1);
    await fetcher.fetchToken("https://issuer.test/status/1", now() + 301);
    expect(calls).toBe(2);
    expect(await checkOf(fetcher.fetchToken("http://issuer.test/status/1", now()))).toBe("status_fetch");
    const lax = createStatusListFetcher({ allowHttp: true, resolveHost, fetch: async () => new Response(token) });
    expect(await lax.fetchToken("http://issuer.test/status/1", now())).toBe(token);
  });

  test("gives up after the timeout and on HTTP errors", async () => {
    const slow = createStatusListFetcher({
      timeoutMs: 50,
      resolveHost,
      fetch: (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    expect(await checkOf(slow.fetchToken("https://issuer.test/status/1", now()))).toBe("status_fetch");
    const failing = createStatusListFetcher({ resolveHost, fetch: async () => new Response("no", { status: 500 }) });
    const stuckDns = createStatusListFetcher({ timeoutMs: 50, resolveHost: () => new Promise<string[]>(() => {}), fetch: async () => new Response("never") });
    expect(await checkOf(stuckDns.fetchToken("https://issuer.test/status/1", now()))).toBe("status_fetch");
    expect(await checkOf(failing.fetchToken("https://issuer.test/status/1", now()))).toBe("status_fetch");
  });
});

describe("verifyStatusListToken", () => {
  test("accepts a list signed through x5c to a trust anchor with sub equal to its URI", async () => {
    expect(await checkOf(verifyStatusListToken(await issuer.statusListToken(), issuer.statusListUri, trust, now()))).toBe("accepted");
  });

  test("rejects a list for another URI, one signed by an untrusted key, and one that is not a status list", async () => {
    expect(await checkOf(verifyStatusListToken(await issuer.statusListToken({ sub: "https://elsewhere.test/1" }), issuer.statusListUri, trust, now()))).toBe("status_signature");
    const impostor = await createTestIssuer({ caName: issuer.ca.name });
    expect(await checkOf(verifyStatusListToken(await issuer.statusListToken({ signer: impostor.leaf }), issuer.statusListUri, trust, now()))).toBe("status_trust");
    expect(await checkOf(verifyStatusListToken("not.a.jwt", issuer.statusListUri, trust, now()))).toBe("status_signature");
  });

  test("maps 1 to revoked, 2 to suspended and other non-zero values to invalid", () => {
    expect(() => checkStatusValue(0)).not.toThrow();
    expect(() => checkStatusValue(1)).toThrow(expect.objectContaining({ check: "status_revoked" }));
    expect(() => checkStatusValue(2)).toThrow(expect.objectContaining({ check: "status_suspended" }));
    expect(() => checkStatusValue(3)).toThrow(expect.objectContaining({ check: "status_invalid" }));
  });
});

test("a list that failed verification is evicted from the cache", async () => {
  let calls = 0;
  const fetcher = createStatusListFetcher({
    resolveHost,
    fetch: async () => {
      calls++;
      return new Response(await issuer.statusListToken());
    },
  });
  await fetcher.fetchToken(issuer.statusListUri, now());
  fetcher.evict?.(issuer.statusListUri);
  await fetcher.fetchToken(issuer.statusListUri, now());
  expect(calls).toBe(2);
});
