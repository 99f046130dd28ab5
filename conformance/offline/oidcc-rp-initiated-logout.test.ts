// oidcc-rp-initiated-logout (OIDCCRpInitiatedLogout): sign in, then go to the end_session_endpoint with
// id_token_hint, the registered post_logout_redirect_uri and a state. The OP must send the browser to the
// post_logout_redirect_uri with that state (CheckPostLogoutState) and no other parameter
// (CheckForUnexpectedParametersInPostLogoutRedirect); then a prompt=none authorization must fail with an
// error asking for a user interface (CheckErrorFromAuthorizationEndpointIsOneThatRequiredAUserInterface,
// after the generic error checks), as the user has been logged out (RP-Initiated Logout 1.0 §2, §3).
// Sigil's session lives in the browser, so this runs in a real one; a prompt=none before the logout shows
// there was a session to end.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { browserLogoutRound, expectAuthorizationError, expectAuthorizationSuccess, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("the browser returns to the post_logout_redirect_uri with exactly the state, and afterwards prompt=none gets login_required", async () => {
  const result = await browserLogoutRound(op, { withState: true });
  expectAuthorizationSuccess(op, result.silentBefore, result.silentBeforeRequest);
  expect(`${result.postLogout.origin}${result.postLogout.pathname}`).toBe(op.p.postLogoutRedirectUri);
  expect(Object.fromEntries(result.postLogout.searchParams)).toEqual({ state: result.endSessionState! });
  const error = expectAuthorizationError(op, result.silentAfter, result.silentAfterRequest);
  expect(["interaction_required", "login_required", "account_selection_required", "consent_required"]).toContain(error);
});
