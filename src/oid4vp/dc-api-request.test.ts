import { describe, expect, test } from "bun:test";
import { compactVerify, decodeProtectedHeader, importX509 } from "jose";
import { computeClientId } from "./client-id.ts";
import { checkDcApiRequestParameters, createDcApiRequest } from "./dc-api-request.ts";
import { defaultPidQuery } from "./dcql-query.ts";
import { createRequestObject } from "./request-object.ts";
import { createTransaction, presentationAudience } from "./transaction.ts";
import { createDevelopmentVerifierIdentity } from "./verifier-identity.ts";

const ORIGIN = "https://verifier.test";

async function setup(responseMode: "dc_api.jwt" | "dc_api" = "dc_api.jwt") {
  const identity = await createDevelopmentVerifierIdentity("verifier.test");
  const clientId = computeClientId(identity, "x509_hash");
  const transaction = await createTransaction({ clientId, responseUri: `${ORIGIN}/dc-response`, dcqlQuery: defaultPidQuery(), responseMode, origin: ORIGIN });
  return { identity, transaction };
}

const good = () => ({
  response_type: "vp_token", response_mode: "dc_api.jwt", client_id: "x509_hash:abc", nonce: "n", dcql_query: {}, client_metadata: {},
  expected_origins: [ORIGIN], aud: "https://self-issued.me/v2", iat: 1, exp: 2,
});

describe("createDcApiRequest", () => {
  test("a signed openid4vp-v1-signed request with only Appendix A.2 parameters, bound to the one expected origin", async () => {
    const { identity, transaction } = await setup();
    const request = await createDcApiRequest(identity, transaction);
    expect(request.protocol).toBe("openid4vp-v1-signed");
    expect(Object.keys(request.data)).toEqual(["request"]);
    expect(decodeProtectedHeader(request.data.request)).toEqual({ alg: "ES256", typ: "oauth-authz-req+jwt", x5c: identity.x5c });
    const key = await importX509(`-----BEGIN CERTIFICATE-----\n${identity.x5c[0]}\n-----END CERTIFICATE-----`, "ES256");
    const payload = JSON.parse(new TextDecoder().decode((await compactVerify(request.data.request, key)).payload)) as Record<string, any>;
    expect(Object.keys(payload).sort()).toEqual(["aud", "client_id", "client_metadata", "dcql_query", "exp", "expected_origins", "iat", "nonce", "response_mode", "response_type"]);
    expect(payload).toMatchObject({
      response_type: "vp_token", response_mode: "dc_api.jwt", client_id: transaction.client_id, nonce: transaction.nonce, expected_origins: [ORIGIN], aud: "https://self-issued.me/v2",
    });
    // dc_api.jwt: the transaction's own ECDH-ES key, and the content encryptions Sigil decrypts.
    expect(payload.client_metadata.jwks.keys).toEqual([expect.objectContaining({ kid: transaction.response_key.kid, use: "enc", alg: "ECDH-ES", x: transaction.response_key.public_jwk.x })]);
    expect(payload.client_metadata.encrypted_response_enc_values_supported).toEqual(["A128GCM", "A256GCM"]);
    expect(payload.client_metadata.vp_formats_supported["dc+sd-jwt"]).toBeDefined();
  });

  test("an unencrypted dc_api request carries no encryption key", async () => {
    const { identity, transaction } = await setup("dc_api");
    const payload = JSON.parse(Buffer.from(((await createDcApiRequest(identity, transaction)).data.request).split(".")[1]!, "base64url").toString()) as Record<string, any>;
    expect(payload.response_mode).toBe("dc_api");
    expect(payload.client_metadata.jwks).toBeUndefined();
  });

  test("a DC API transaction is never served as a request_uri request object, nor a redirect one as a DC API request", async () => {
    const { identity, transaction } = await setup();
    await expect(createRequestObject(identity, transaction)).rejects.toThrow("DC API");
    const redirect = await createTransaction({ clientId: transaction.client_id, responseUri: `${ORIGIN}/r`, dcqlQuery: defaultPidQuery() });
    await expect(createDcApiRequest(identity, redirect)).rejects.toThrow("not a DC API transaction");
  });
});

describe("DC API transactions", () => {
  test("a dc_api mode needs an origin and a redirect mode refuses one", async () => {
    const base = { clientId: "x509_hash:abc", responseUri: `${ORIGIN}/r`, dcqlQuery: defaultPidQuery() };
    await expect(createTransaction({ ...base, responseMode: "dc_api.jwt" })).rejects.toThrow("needs origin");
    await expect(createTransaction({ ...base, responseMode: "direct_post.jwt", origin: ORIGIN })).rejects.toThrow("takes no origin");
  });

  test("the presentation audience is origin:<Origin> over the DC API and the client_id otherwise", async () => {
    const { transaction } = await setup();
    expect(presentationAudience(transaction)).toBe(`origin:${ORIGIN}`);
    expect(presentationAudience({ ...transaction, response_mode: "direct_post.jwt" })).toBe(transaction.client_id);
  });
});

describe("checkDcApiRequestParameters", () => {
  test("accepts the allowed set", () => {
    expect(() => checkDcApiRequestParameters(good())).not.toThrow();
  });

  test("refuses the redirect parameters, request inside a signed request, and a missing client_id or response_mode", () => {
    for (const extra of ["state", "response_uri", "redirect_uri", "request_uri", "scope"]) {
      expect(() => checkDcApiRequestParameters({ ...good(), [extra]: "x" })).toThrow(extra);
    }
    expect(() => checkDcApiRequestParameters({ ...good(), request: "eyJ" })).toThrow("request");
    expect(() => checkDcApiRequestParameters({ ...good(), client_id: undefined })).toThrow("client_id");
    expect(() => checkDcApiRequestParameters({ ...good(), response_mode: "direct_post" })).toThrow("response_mode");
  });

  test("refuses a missing, empty or malformed expected_origins", () => {
    const { expected_origins: _gone, ...without } = good();
    expect(() => checkDcApiRequestParameters(without)).toThrow("needs expected_origins");
    expect(() => checkDcApiRequestParameters({ ...good(), expected_origins: [] })).toThrow("empty");
    for (const bad of ["http://verifier.test", "https://verifier.test/", "https://verifier.test/login", "javascript:alert(1)", "data:text/html,x", "wss://verifier.test", "verifier.test"]) {
      expect(() => checkDcApiRequestParameters({ ...good(), expected_origins: [bad] })).toThrow("expected_origins entry");
    }
    // Local development: browsers treat loopback http as a secure context, and the spec allows it there.
    expect(() => checkDcApiRequestParameters({ ...good(), expected_origins: ["http://localhost:8080", "http://acme.localhost:8080"] })).not.toThrow();
  });
});
