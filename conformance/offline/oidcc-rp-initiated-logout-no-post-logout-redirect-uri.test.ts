// oidcc-rp-initiated-logout-no-post-logout-redirect-uri (OIDCCRpInitiatedLogoutNoPostLogoutRedirectUri):
// sign in, then go to the end_session_endpoint with id_token_hint and state but no
// post_logout_redirect_uri. The OP must sign the user out and show a "you are signed out" page
// (ExpectSuccessfulLogoutPage, screenshot in the suite) without calling the registered
// post_logout_redirect_uri, which was not asked for (RP-Initiated Logout 1.0 §2, §3).
import { afterAll, beforeAll, test } from "bun:test";
import { endSession, endSessionState, expectSignedOutPage, signInForLogout, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("end_session with a valid hint and state but no post_logout_redirect_uri shows the signed-out page and redirects nowhere", async () => {
  const { flow } = await signInForLogout(op);
  const params: Record<string, string> = { id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state: endSessionState() };
  delete params.post_logout_redirect_uri;
  await expectSignedOutPage(await endSession(op, params));
});
