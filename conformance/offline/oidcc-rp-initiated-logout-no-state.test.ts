// oidcc-rp-initiated-logout-no-state (OIDCCRpInitiatedLogoutNoState): sign in, then go to the
// end_session_endpoint with id_token_hint and the registered post_logout_redirect_uri but no state.
// The OP must send the browser to the post_logout_redirect_uri without a state
// (CheckNoPostLogoutState) and with no other parameter (CheckForUnexpectedParametersInPostLogoutRedirect);
// then a prompt=none authorization must fail with an error asking for a user interface
// (CheckErrorFromAuthorizationEndpointIsOneThatRequiredAUserInterface, after the generic error
// checks), as the user has been logged out. The browser is Sigil's pages emulated (UserAgent);
// oidcc-rp-initiated-logout runs the same round in Chromium with the real scripts.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, expectAuthorizationError, expectAuthorizationSuccess, signInForLogout, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("the browser is sent to the post_logout_redirect_uri with no query at all, and afterwards prompt=none gets login_required", async () => {
  const { agent, flow } = await signInForLogout(op);
  // The session is there before the logout: prompt=none succeeds.
  const before = authorizationRequest(op, { extra: { prompt: "none" } });
  expectAuthorizationSuccess(op, await agent.authorize(before), before);

  const target = await agent.endSession({ id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri });
  expect(target).not.toBeNull();
  expect(`${target!.origin}${target!.pathname}`).toBe(op.p.postLogoutRedirectUri);
  expect(target!.search).toBe("");
  expect(target!.hash).toBe("");

  const after = authorizationRequest(op, { extra: { prompt: "none" } });
  const error = expectAuthorizationError(op, await agent.authorize(after), after);
  expect(["interaction_required", "login_required", "account_selection_required", "consent_required"]).toContain(error);
});
