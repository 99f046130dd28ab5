// oidcc-rp-initiated-logout-no-params (OIDCCRpInitiatedLogoutNoParams): sign in, then go to the
// end_session_endpoint with no parameters at all. The OP must sign the user out and show a "you are signed
// out" page (ExpectSuccessfulLogoutPage, screenshot in the suite) without calling the registered
// post_logout_redirect_uri, which was not asked for (RP-Initiated Logout 1.0 §2, §3).
import { afterAll, beforeAll, test } from "bun:test";
import { endSession, endSessionState, expectSignedOutPage, signInForLogout, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("end_session with no parameters shows the signed-out page and redirects nowhere", async () => {
  const { flow } = await signInForLogout(op);
  const params: Record<string, string> = { id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, state: endSessionState() };
  for (const name of Object.keys(params)) delete params[name];
  await expectSignedOutPage(await endSession(op, params));
});
