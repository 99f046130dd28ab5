// oidcc-rp-initiated-logout-modified-id-token-hint (OIDCCRpInitiatedLogoutModifiedIdTokenHint): sign in,
// then go to the end_session_endpoint with the id_token_hint changed to alg none (ChangeIdTokenToAlgNone:
// header alg none, signature dropped). The OP must not redirect to the post_logout_redirect_uri (nor
// anywhere else) and must show an error page or ask the user to confirm the logout (OIDC RP-Initiated
// Logout 1.0 §2, §3; the suite asks for a screenshot). Sigil must answer with its error page.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { endSession, endSessionState, expectLogoutNotRedirected, logoutRedirectTarget, signInForLogout, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("an alg=none id_token_hint with the genuine claims is never honoured with a redirect", async () => {
  const { flow } = await signInForLogout(op);
  const idTokenHint = flow.tokens.id_token!;
  const params: Record<string, string> = { id_token_hint: idTokenHint, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state: endSessionState() };
  // As ChangeIdTokenToAlgNone: the header replaced by {"alg": "none"}, the genuine payload, no signature.
  params.id_token_hint = `${Buffer.from('{"alg": "none"}').toString("base64url")}.${idTokenHint.split(".")[1]}.`;
  expect(await expectLogoutNotRedirected(await endSession(op, params), params.post_logout_redirect_uri)).toBe("error");
});

test("control: the unmodified request (valid hint, registered URI, state) does lead back to the client", async () => {
  const { flow } = await signInForLogout(op);
  const state = endSessionState();
  const response = await endSession(op, { id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state });
  expect(response.status).toBe(200);
  expect(logoutRedirectTarget(await response.text())).toBe(`${op.p.postLogoutRedirectUri}?state=${state}`);
});
