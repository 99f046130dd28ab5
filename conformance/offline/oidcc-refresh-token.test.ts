// oidcc-refresh-token (OIDCCRefreshToken): with offline_access (and prompt=consent) when discovery
// lists it, the code flow yields a refresh token; discovery lists the refresh_token grant; the refresh
// token uses only VSCHAR (RFC 6749 A.17). A second later a refresh request with the scope
// (RFC 6749 §6) must answer 200, JSON, no-store, Bearer, with an access token of > 96 bits entropy in
// VSCHAR, a valid expires_in, a new refresh token (if any) of ≥ 128 bits and > 96 bits entropy, and an
// id_token (if any) with the same iss, sub, aud, azp and auth_time but a new iat (OIDC Core §12.2);
// userinfo works with the new access token. Then client2's refresh token, presented by client1,
// must be refused with 400 invalid_grant (the token is bound to its client, RFC 6749 §6).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import * as client from "openid-client";
import { callUserinfo, completeFlow, expectTokenError, expectTokenResponse, expectValidIdToken, shannonEntropyBits, startOp, tokenEndpoint, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

const scopeFor = () => (op.metadata.scopes_supported ?? []).includes("offline_access") ? "openid offline_access" : "openid";
const extraFor = (scope: string): Record<string, string> => (scope.includes("offline_access") ? { prompt: "consent" } : {});
const VSCHAR = /^[\x20-\x7E]+$/;

test("discovery lists the refresh_token grant", () => {
  expect(op.metadata.grant_types_supported).toContain("refresh_token");
});

test("a refresh grant a second after the code grant returns new tokens that pass every check, and userinfo accepts the new access token", async () => {
  const scope = scopeFor();
  const flow = await completeFlow(op, { scope, extra: extraFor(scope) });
  const refreshToken = flow.tokens.refresh_token!;
  expect(typeof refreshToken).toBe("string");
  expect(refreshToken).toMatch(VSCHAR);
  await Bun.sleep(1000);
  const refreshed = await expectTokenResponse(await tokenEndpoint(op, { grant_type: "refresh_token", refresh_token: refreshToken, scope }), { idToken: false });
  expect(shannonEntropyBits(refreshed.access_token)).toBeGreaterThan(96);
  expect(refreshed.access_token).toMatch(VSCHAR);
  expect(refreshed.access_token).not.toBe(flow.tokens.access_token);
  if (refreshed.refresh_token !== undefined) {
    expect(Buffer.byteLength(refreshed.refresh_token) * 8).toBeGreaterThanOrEqual(128);
    expect(shannonEntropyBits(refreshed.refresh_token)).toBeGreaterThan(96);
  }
  if (refreshed.id_token !== undefined) {
    // A refreshed id_token SHOULD NOT carry a nonce (OIDC Core §12.2); when it does, it is the original one.
    const carriesNonce = decodeJwt(refreshed.id_token).nonce !== undefined;
    const { claims } = await expectValidIdToken(op, refreshed.id_token, { nonce: carriesNonce ? flow.request.nonce : null, accessToken: refreshed.access_token });
    const first = flow.idToken.claims;
    expect({ iss: claims.iss, sub: claims.sub, aud: claims.aud, azp: claims.azp, auth_time: claims.auth_time })
      .toEqual({ iss: first.iss, sub: first.sub, aud: first.aud, azp: first.azp, auth_time: first.auth_time });
    expect(claims.iat).not.toBe(first.iat);
  }
  const info = await callUserinfo(op, refreshed.access_token);
  expect(info.status).toBe(200);
  expect(((await info.json()) as { sub: string }).sub).toBe(flow.idToken.claims.sub!);
});

test("openid-client's refreshTokenGrant, with its own id_token checks, accepts the refresh response", async () => {
  const config = await client.discovery(new URL(op.issuer), op.client.clientId, op.client.clientSecret, client.ClientSecretBasic(), { execute: [client.allowInsecureRequests] });
  const flow = await completeFlow(op);
  const refreshed = await client.refreshTokenGrant(config, flow.tokens.refresh_token!);
  expect(typeof refreshed.access_token).toBe("string");
  if (refreshed.id_token) expect(refreshed.claims()?.sub).toBe(flow.idToken.claims.sub);
});

test("client2's refresh token presented by client1 is refused with 400 invalid_grant", async () => {
  const scope = scopeFor();
  // The suite asks client2's flow with a 43-character nonce.
  const second = await completeFlow(op, { client: op.client2, scope, nonce: "n".repeat(11) + crypto.randomUUID().replace(/-/g, ""), extra: extraFor(scope) });
  expect(second.request.nonce!.length).toBe(43);
  const stolen = second.tokens.refresh_token!;
  await expectTokenError(await tokenEndpoint(op, { grant_type: "refresh_token", refresh_token: stolen, scope }, op.client), "invalid_grant");
  // Its own client may still use it: the refusal above is about the binding.
  await expectTokenResponse(await tokenEndpoint(op, { grant_type: "refresh_token", refresh_token: stolen, scope }, op.client2), { idToken: false });
});
