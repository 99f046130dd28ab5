import { describe, expect, test } from "bun:test";
import { createInMemoryVerifier } from "./in-memory-verifier.ts";
import { createTestIssuer } from "./test-issuer.ts";
import { createTestWallet, presentToVerifier } from "./wallet.ts";
import { fetchRequestObject } from "./fetch-request-object.ts";

describe("test wallet against the in-memory engine", () => {
  test("presents a PID that the engine accepts, disclosing only the requested claims", async () => {
    const issuer = await createTestIssuer();
    const verifier = await createInMemoryVerifier({ issuer });
    const wallet = await createTestWallet(issuer);
    const { transaction, walletUrl } = await verifier.start();
    const result = await presentToVerifier(wallet, walletUrl, { fetch: verifier.fetch });
    expect(result.status).toBe(200);
    const outcome = verifier.outcomes.get(transaction.id);
    if (!outcome?.ok) throw new Error(`rejected: ${outcome && !outcome.ok ? outcome.error.internal : "no outcome"}`);
    expect(outcome.claims.pid).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12" });
    expect(outcome.claims.pid).not.toHaveProperty("nationalities");
  });
});

describe("request_uri and single use, as a caller would wire them", () => {
  test("the request object can be fetched twice (POST, then GET) and only the POST echoes wallet_nonce", async () => {
    const issuer = await createTestIssuer();
    const verifier = await createInMemoryVerifier({ issuer });
    const { transaction, walletUrl } = await verifier.start({ requestUriMethod: "post" });
    const first = await fetchRequestObject(walletUrl, verifier.fetch);
    const second = await fetchRequestObject(walletUrl, verifier.fetch, { forceGet: true });
    expect(first.payload.wallet_nonce).toBe(first.walletNonce!);
    expect(second.payload.wallet_nonce).toBeUndefined();
    expect(second.payload.nonce).toBe(first.payload.nonce);
    expect(verifier.requestFetches.filter((f) => f.id === transaction.id).map((f) => f.method)).toEqual(["POST", "GET"]);
  });

  test("a replayed response is refused once the transaction was used", async () => {
    const issuer = await createTestIssuer();
    const verifier = await createInMemoryVerifier({ issuer });
    const wallet = await createTestWallet(issuer);
    const { walletUrl } = await verifier.start();
    const first = await presentToVerifier(wallet, walletUrl, { fetch: verifier.fetch });
    expect(first.status).toBe(200);
    const replay = await verifier.fetch(first.request.payload.response_uri, { method: "POST", body: first.body });
    expect(replay.status).toBe(400);
  });

  test("rejects a request object whose x509_hash does not match its x5c leaf", async () => {
    const issuer = await createTestIssuer();
    const verifier = await createInMemoryVerifier({ issuer });
    const other = await createInMemoryVerifier({ issuer });
    const { walletUrl } = await verifier.start();
    const forged = walletUrl.replace(encodeURIComponent(verifier.clientId), encodeURIComponent(other.clientId));
    await expect(fetchRequestObject(forged, verifier.fetch)).rejects.toThrow(/client_id/);
  });
});
