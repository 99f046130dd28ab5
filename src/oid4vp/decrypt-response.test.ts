import { describe, expect, test } from "bun:test";
import { CompactEncrypt, generateKeyPair, importJWK } from "jose";
import type { JWK } from "jose";
import { defaultPidQuery } from "./dcql-query.ts";
import { decryptResponse, openResponse, readVpToken, responseLookupKey } from "./decrypt-response.ts";
import { createTransaction } from "./transaction.ts";
import type { ResponseMode, Transaction } from "./transaction.ts";

const newTransaction = (responseMode?: ResponseMode) =>
  createTransaction({ clientId: "x509_hash:abc", responseUri: "https://v.test/response", dcqlQuery: defaultPidQuery(), responseMode });

async function encrypt(payload: unknown, key: CryptoKey | Uint8Array, header: Record<string, string>) {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "ECDH-ES", enc: "A128GCM", ...header }).encrypt(key);
}

const publicKeyOf = (transaction: Transaction) => importJWK(transaction.response_key.public_jwk as JWK, "ECDH-ES");

async function checkOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "accepted";
  } catch (error) {
    return (error as { check?: string }).check ?? String(error);
  }
}

describe("decryptResponse", () => {
  test("decrypts a JWE to the transaction's key and returns vp_token and state", async () => {
    const transaction = await newTransaction();
    const payload = { vp_token: { pid: ["a~b~c"] }, state: transaction.state };
    for (const enc of ["A128GCM", "A256GCM"]) {
      const jwe = await encrypt(payload, await publicKeyOf(transaction), { kid: transaction.response_key.kid, enc });
      expect(await decryptResponse(transaction, new URLSearchParams({ response: jwe }))).toEqual(payload);
    }
  });

  test("rejects a JWE with the right kid but encrypted to another key", async () => {
    const transaction = await newTransaction();
    const other = await generateKeyPair("ECDH-ES", { crv: "P-256" });
    const jwe = await encrypt({ vp_token: { pid: ["x"] }, state: transaction.state }, other.publicKey, { kid: transaction.response_key.kid });
    expect(await checkOf(decryptResponse(transaction, { response: jwe }))).toBe("response_decrypt");
  });

  test("rejects a JWE under another transaction's key, a key-wrapping alg, a non-JWE and a missing response", async () => {
    const transaction = await newTransaction();
    const other = await newTransaction();
    const toOther = await encrypt({ vp_token: {}, state: transaction.state }, await publicKeyOf(other), { kid: other.response_key.kid });
    expect(await checkOf(decryptResponse(transaction, { response: toOther }))).toBe("response_key");
    const wrapped = await new CompactEncrypt(new TextEncoder().encode("{}"))
      .setProtectedHeader({ alg: "ECDH-ES+A128KW", enc: "A128GCM", kid: transaction.response_key.kid })
      .encrypt(await publicKeyOf(transaction));
    expect(await checkOf(decryptResponse(transaction, { response: wrapped }))).toBe("response_alg");
    expect(await checkOf(decryptResponse(transaction, { response: "a.b.c" }))).toBe("response_format");
    expect(await checkOf(decryptResponse(transaction, {}))).toBe("response_format");
  });

  test("refuses a cleartext vp_token when encryption was required, but reads a cleartext wallet error", async () => {
    const transaction = await newTransaction();
    expect(await checkOf(decryptResponse(transaction, { vp_token: '{"pid":["x"]}', state: transaction.state }))).toBe("response_cleartext");
    expect(await checkOf(decryptResponse(transaction, { error: "access_denied", state: transaction.state }))).toBe("wallet_error");
  });

  test("direct_post reads the vp_token form field and checks state and shape", async () => {
    const transaction = await newTransaction("direct_post");
    expect(await decryptResponse(transaction, { vp_token: '{"pid":["x~"]}', state: transaction.state })).toEqual({ vp_token: { pid: ["x~"] }, state: transaction.state });
    expect(await checkOf(decryptResponse(transaction, { vp_token: '{"pid":["x~"]}', state: "other" }))).toBe("state");
    expect(await checkOf(decryptResponse(transaction, { vp_token: '{"pid":"x~"}', state: transaction.state }))).toBe("vp_token_format");
    expect(await checkOf(decryptResponse(transaction, { vp_token: "[]", state: transaction.state }))).toBe("vp_token_format");
    expect(await checkOf(decryptResponse(transaction, { vp_token: "{", state: transaction.state }))).toBe("vp_token_format");
  });
});

describe("openResponse", () => {
  test("a wallet's error is the transaction's own only with its state, in the clear or encrypted", async () => {
    const transaction = await newTransaction();
    expect(await checkOf(openResponse(transaction, { error: "access_denied" }))).toBe("state");
    expect(await checkOf(openResponse(transaction, { error: "access_denied", state: "other" }))).toBe("state");
    const encrypted = await encrypt({ error: "access_denied", state: "other" }, await publicKeyOf(transaction), { kid: transaction.response_key.kid });
    expect(await checkOf(openResponse(transaction, { response: encrypted }))).toBe("state");
    const opened = await openResponse(transaction, { error: "access_denied", error_description: "no", state: transaction.state });
    expect(opened).toEqual({ error: "access_denied", errorDescription: "no", state: transaction.state });
    expect(() => readVpToken(opened)).toThrow("the wallet declined: access_denied (no)");
  });

  test("opens a well-formed answer without reading its vp_token, which readVpToken checks afterwards", async () => {
    const transaction = await newTransaction("direct_post");
    const opened = await openResponse(transaction, { vp_token: "{", state: transaction.state });
    expect(opened.state).toBe(transaction.state);
    expect(() => readVpToken(opened)).toThrow("vp_token is not JSON");
  });
});

test("responseLookupKey reads the JWE kid or a cleartext state, and nothing from junk", async () => {
  const transaction = await newTransaction();
  const jwe = await encrypt({}, await publicKeyOf(transaction), { kid: transaction.response_key.kid });
  expect(responseLookupKey(new URLSearchParams({ response: jwe }))).toEqual({ kid: transaction.response_key.kid });
  expect(responseLookupKey({ vp_token: "{}", state: "s1" })).toEqual({ state: "s1" });
  expect(responseLookupKey({ response: "junk" })).toEqual({});
});
