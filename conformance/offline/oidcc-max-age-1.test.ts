// oidcc-max-age-1 (OIDCCMaxAge1): sign in, wait 2 seconds, authorize with max_age=1. The session is
// too old, so the OP must make the user sign in again (screenshot in the suite), and the second
// id_token must carry auth_time (CheckIdTokenAuthTimeClaimPresentDueToMaxAge), later than the
// first (CheckSecondIdTokenAuthTimeIsLaterIfPresent) and recent (CheckIdTokenAuthTimeIsRecentIfPresent).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, loginPageReturn, nowSeconds, postLogin, sendAuthorization, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("max_age=1 two seconds after the sign-in forces a new sign-in with a later, recent auth_time", async () => {
  const agent = new UserAgent(op);
  const first = await completeFlow(op, { agent });
  await Bun.sleep(2000);
  const secondStarted = nowSeconds();
  const sso = agent.sso!;
  const request = authorizationRequest(op, { extra: { max_age: "1" } });
  // The server refuses the stale assertion by itself; the page then shows the form.
  const stale = await postLogin(op, { sso, return: loginPageReturn(op, await sendAuthorization(op, request)) });
  expect(stale.body.code).toBeUndefined();
  expect(stale.body.error).toBe("login_required");

  const second = await completeFlow(op, { agent, extra: { max_age: "1" } });
  expect(agent.interactiveLogins).toBe(2);
  expect(typeof second.idToken.claims.auth_time).toBe("number");
  expect(second.idToken.claims.auth_time!).toBeGreaterThan(first.idToken.claims.auth_time!);
  expect(second.idToken.claims.auth_time!).toBeGreaterThanOrEqual(secondStarted - 1);
  expect(second.idToken.claims.sub).toBe(first.idToken.claims.sub);
});
