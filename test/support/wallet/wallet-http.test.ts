import { afterAll, beforeAll, expect, test } from "bun:test";
import { createInMemoryVerifier } from "./in-memory-verifier.ts";
import type { InMemoryVerifier } from "./in-memory-verifier.ts";
import { createTestIssuer } from "./test-issuer.ts";
import type { TestIssuer } from "./test-issuer.ts";
import { createTestWallet, presentToVerifier } from "./wallet.ts";

let server: ReturnType<typeof Bun.serve>;
let issuer: TestIssuer;
let verifier: InMemoryVerifier;

beforeAll(async () => {
  // The port is known only after listening, so the handler reads `verifier` lazily.
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) =>
      verifier.fetch(request.url, { method: request.method, headers: request.headers, body: request.method === "POST" ? await request.text() : undefined }),
  });
  issuer = await createTestIssuer();
  verifier = await createInMemoryVerifier({ issuer, baseUrl: server.url.origin });
});

afterAll(() => server.stop(true));

test("the wallet drives the engine over real HTTP with the platform fetch", async () => {
  const wallet = await createTestWallet(issuer);
  const httpFetch = (url: string, init?: RequestInit) => fetch(url, init);
  const { transaction, walletUrl } = await verifier.start();
  const result = await presentToVerifier(wallet, walletUrl, { fetch: httpFetch });
  expect(result.status).toBe(200);
  expect(result.response).toEqual({});
  expect(verifier.outcomes.get(transaction.id)?.ok).toBe(true);
  const rejected = await verifier.start();
  const bad = await presentToVerifier(wallet, rejected.walletUrl, { fetch: httpFetch, switches: ["wrongNonce"] });
  expect(bad.status).toBe(400);
  expect(bad.response).toMatchObject({ error: "invalid_request" });
});
