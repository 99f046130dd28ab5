// oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri
// (OIDCCRpInitiatedLogoutQueryAddedToLogoutRedirectUri): sign in, then go to the end_session_endpoint with
// the registered post_logout_redirect_uri plus ?foo=bar. The OP must not redirect to the
// post_logout_redirect_uri (nor anywhere else) and must show an error page or ask the user to confirm the
// logout (OIDC RP-Initiated Logout 1.0 §2, §3; the suite asks for a screenshot). Sigil must answer with its
// error page.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { endSession, endSessionState, expectLogoutNotRedirected, logoutRedirectTarget, signInForLogout, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("the registered post_logout_redirect_uri with ?foo=bar added is never redirected to", async () => {
  const { flow } = await signInForLogout(op);
  const idTokenHint = flow.tokens.id_token!;
  const params: Record<string, string> = { id_token_hint: idTokenHint, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state: endSessionState() };
  params.post_logout_redirect_uri = `${op.p.postLogoutRedirectUri}?foo=bar`;
  expect(await expectLogoutNotRedirected(await endSession(op, params), params.post_logout_redirect_uri)).toBe("error");
});

test("control: the unmodified request (valid hint, registered URI, state) does lead back to the client", async () => {
  const { flow } = await signInForLogout(op);
  const state = endSessionState();
  const response = await endSession(op, { id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state });
  expect(response.status).toBe(200);
  expect(logoutRedirectTarget(await response.text())).toBe(`${op.p.postLogoutRedirectUri}?state=${state}`);
});
