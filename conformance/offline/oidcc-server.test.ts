// oidcc-server (OIDCCServerTest): the happy code flow with client_secret_basic. The suite checks the
// JWKS at set-up, the authorization response (state, iss), the code (≥ 128 bits, > 96 bits of
// entropy), the token response (200, JSON, no-store, Bearer, expires_in), the id_token
// (PerformStandardIdTokenChecks, at_hash and c_hash when present), that the id_token carries no
// name when only openid was asked for (EnsureIdTokenDoesNotContainName) nor claims that were not
// requested (EnsureIdTokenDoesNotContainNonRequestedClaims), and that userinfo answers 200.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import { callUserinfo, completeFlow, expectStrongCode, expectUserinfo, expectValidJwks, expectWarningAccountedFor, nonRequestedIdTokenClaims, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("the published JWKS has valid public keys, each with a distinct kid", () => {
  expectValidJwks(op.jwks);
});

test("a code flow with scope openid passes every check of the happy flow", async () => {
  const flow = await completeFlow(op);
  expectStrongCode(flow.code);
  const { claims } = flow.idToken;
  expect(claims.at_hash).toBeDefined();
  // c_hash belongs to id_tokens from the authorization endpoint; a code-flow id_token may carry it only if correct.
  expect(claims.c_hash).toBeUndefined();
  expect(claims).not.toHaveProperty("name");
  // Claims that scope openid did not ask for: the profile and email claims (OIDC Core §5.4).
  for (const claim of ["name", "preferred_username", "email", "email_verified", "given_name", "family_name", "address", "phone_number"]) {
    expect(claims).not.toHaveProperty(claim);
  }
  await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), claims.sub!);
});

test("openid-client, a relying party written elsewhere, completes the same flow with its own checks", async () => {
  const config = await client.discovery(new URL(op.issuer), op.client.clientId, op.client.clientSecret, client.ClientSecretBasic(), {
    execute: [client.allowInsecureRequests],
  });
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: op.p.redirectUri, scope: "openid", state, nonce });
  const agent = new UserAgent(op);
  const request = { params: url.searchParams, state, nonce, pkce: null, clientId: op.client.clientId, redirectUri: op.p.redirectUri, method: "GET" as const };
  const callback = await agent.authorize(request);
  const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  expect(tokens.claims()?.iss).toBe(op.issuer);
  expect(tokens.claims()?.aud).toBe(op.client.clientId);
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  expect(info.sub).toBe(tokens.claims()!.sub);
});

test("the id_token for scope openid carries only protocol claims, or expected-failures.json accounts for the suite's warning", async () => {
  const flow = await completeFlow(op);
  const extra = nonRequestedIdTokenClaims("openid", flow.idToken.claims);
  await expectWarningAccountedFor("oidcc-server", "EnsureIdTokenDoesNotContainNonRequestedClaims", extra.length > 0, { nonRequestedClaims: extra });
});
