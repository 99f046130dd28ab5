import { describe, expect, test } from "bun:test";
import { compactVerify, decodeProtectedHeader, importX509 } from "jose";
import { computeClientId } from "./client-id.ts";
import { defaultPidQuery } from "./dcql-query.ts";
import { createRequestObject, parseRequestUriPost } from "./request-object.ts";
import { createTransaction } from "./transaction.ts";
import { createDevelopmentVerifierIdentity } from "./verifier-identity.ts";
import type { ResponseMode } from "./transaction.ts";

async function setup(responseMode?: ResponseMode) {
  const identity = await createDevelopmentVerifierIdentity("verifier.test");
  const clientId = computeClientId(identity, "x509_hash");
  const transaction = await createTransaction({ clientId, responseUri: "https://verifier.test/response", dcqlQuery: defaultPidQuery(), responseMode });
  return { identity, transaction };
}

async function verified(jwt: string, x5c: string) {
  const key = await importX509(`-----BEGIN CERTIFICATE-----\n${x5c}\n-----END CERTIFICATE-----`, "ES256");
  return JSON.parse(new TextDecoder().decode((await compactVerify(jwt, key)).payload)) as Record<string, any>;
}

describe("createRequestObject", () => {
  test("signs a JAR with typ oauth-authz-req+jwt and x5c, carrying everything the wallet needs", async () => {
    const { identity, transaction } = await setup();
    const jwt = await createRequestObject(identity, transaction);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "ES256", typ: "oauth-authz-req+jwt", x5c: identity.x5c });
    const payload = await verified(jwt, identity.x5c[0]!);
    expect(payload).toMatchObject({
      response_type: "vp_token",
      client_id: transaction.client_id,
      response_mode: "direct_post.jwt",
      response_uri: "https://verifier.test/response",
      nonce: transaction.nonce,
      state: transaction.state,
      dcql_query: defaultPidQuery(),
      aud: "https://self-issued.me/v2",
    });
    expect(payload.exp).toBeGreaterThan(payload.iat);
    for (const absent of ["wallet_nonce", "request_uri_method", "redirect_uri", "scope", "client_id_scheme"]) expect(payload).not.toHaveProperty(absent);
    const [key] = payload.client_metadata.jwks.keys;
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", kid: transaction.response_key.kid, use: "enc", alg: "ECDH-ES" });
    expect(key).not.toHaveProperty("d");
    expect(payload.client_metadata.encrypted_response_enc_values_supported).toEqual(["A128GCM", "A256GCM"]);
    expect(payload.client_metadata.vp_formats_supported["dc+sd-jwt"]).toBeDefined();
    // OpenID4VP 1.0 Appendix B.2.2: mso_mdoc with COSE algorithm identifiers ES256 (-7), ES384 (-35), ES512 (-36).
    expect(payload.client_metadata.vp_formats_supported.mso_mdoc).toEqual({ issuerauth_alg_values: [-7, -35, -36], deviceauth_alg_values: [-7, -35, -36] });
  });

  test("nonce and state are URL-safe with at least 128 bits, fresh per transaction", async () => {
    const { transaction } = await setup();
    const { transaction: other } = await setup();
    expect(transaction.nonce).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(transaction.nonce).not.toBe(other.nonce);
    expect(transaction.state).not.toBe(other.state);
    expect(transaction.response_key.kid).not.toBe(other.response_key.kid);
  });

  test("echoes wallet_nonce and narrows enc to what the wallet supports", async () => {
    const { identity, transaction } = await setup();
    const jwt = await createRequestObject(identity, transaction, { walletNonce: "n-123", walletMetadata: { authorization_encryption_enc_values_supported: ["A256GCM"] } });
    const payload = await verified(jwt, identity.x5c[0]!);
    expect(payload.wallet_nonce).toBe("n-123");
    expect(payload.client_metadata.encrypted_response_enc_values_supported).toEqual(["A256GCM"]);
  });

  test("direct_post publishes no encryption key", async () => {
    const { identity, transaction } = await setup("direct_post");
    const payload = await verified(await createRequestObject(identity, transaction), identity.x5c[0]!);
    expect(payload.response_mode).toBe("direct_post");
    expect(payload.client_metadata.jwks).toBeUndefined();
  });
});

describe("parseRequestUriPost", () => {
  test("reads wallet_nonce and wallet_metadata, tolerating absence, junk and loose top-level fields", () => {
    expect(parseRequestUriPost(new URLSearchParams({ wallet_nonce: "abc", wallet_metadata: '{"x":1}' }))).toEqual({ walletNonce: "abc", walletMetadata: { x: 1 } });
    expect(parseRequestUriPost(new URLSearchParams())).toEqual({});
    expect(parseRequestUriPost(new URLSearchParams({ wallet_metadata: "{not json" }))).toEqual({});
    expect(parseRequestUriPost(new URLSearchParams({ authorization_encryption_enc_values_supported: '["A128GCM"]' }))).toEqual({
      walletMetadata: { authorization_encryption_enc_values_supported: ["A128GCM"] },
    });
  });
});
