// oidcc-rp-initiated-logout-bad-id-token-hint (OIDCCRpInitiatedLogoutBadIdTokenHint): sign in, then go to
// the end_session_endpoint with an id_token_hint the test suite made and signed itself (HS256 under a key
// derived from the client secret, GenerateJWKsFromClientSecret + SignFakeIdToken). The OP must not redirect
// to the post_logout_redirect_uri (nor anywhere else) and must show an error page or ask the user to
// confirm the logout (OIDC RP-Initiated Logout 1.0 §2, §3; the suite asks for a screenshot). Sigil must
// answer with its error page.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { endSession, endSessionState, expectLogoutNotRedirected, logoutRedirectTarget, signInForLogout, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("an id_token_hint signed by someone else with the client secret is never honoured with a redirect", async () => {
  const { flow } = await signInForLogout(op);
  const idTokenHint = flow.tokens.id_token!;
  const params: Record<string, string> = { id_token_hint: idTokenHint, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state: endSessionState() };
  // As GenerateFakeIdTokenClaims + SignFakeIdToken: the suite's own claims, HS256 under the client secret.
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: op.client.clientId, sub: "SubjectID", aud: op.issuer, nonce: "flibble", iat: now, exp: now + 300 };
  expect(Buffer.byteLength(op.client.clientSecret)).toBeGreaterThanOrEqual(32);
  params.id_token_hint = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(op.client.clientSecret));
  expect(await expectLogoutNotRedirected(await endSession(op, params), params.post_logout_redirect_uri)).toBe("error");
});

test("control: the unmodified request (valid hint, registered URI, state) does lead back to the client", async () => {
  const { flow } = await signInForLogout(op);
  const state = endSessionState();
  const response = await endSession(op, { id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state });
  expect(response.status).toBe(200);
  expect(logoutRedirectTarget(await response.text())).toBe(`${op.p.postLogoutRedirectUri}?state=${state}`);
});

test.each([
  ["HS256 under the client secret", "hs256"],
  ["RS256 under a fresh key with the published kid", "rs256"],
] as const)("the genuine id_token's claims re-signed by someone else (%s) are never honoured with a redirect", async (_name, how) => {
  const { flow } = await signInForLogout(op);
  const genuine = flow.tokens.id_token!;
  const claims = decodeJwt(genuine);
  const forged = how === "hs256"
    ? await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(op.client.clientSecret))
    : await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: decodeProtectedHeader(genuine).kid! }).sign((await generateKeyPair("RS256")).privateKey);
  const params = { id_token_hint: forged, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state: endSessionState() };
  expect(await expectLogoutNotRedirected(await endSession(op, params), params.post_logout_redirect_uri)).toBe("error");
});
