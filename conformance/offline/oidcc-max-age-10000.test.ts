// oidcc-max-age-10000 (OIDCCMaxAge10000): sign in with max_age=15000, then authorize with
// max_age=10000. Both id_tokens must carry auth_time (CheckIdTokenAuthTimeClaimPresentDueToMaxAge);
// the second authorization must not ask the user to sign in, and sub and auth_time must agree.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { completeFlow, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("max_age=10000 after a sign-in with max_age=15000 reuses the session: same sub and auth_time, no second sign-in", async () => {
  const agent = new UserAgent(op);
  const first = await completeFlow(op, { agent, extra: { max_age: "15000" } });
  expect(typeof first.idToken.claims.auth_time).toBe("number");
  const second = await completeFlow(op, { agent, extra: { max_age: "10000" } });
  expect(typeof second.idToken.claims.auth_time).toBe("number");
  expect(agent.interactiveLogins).toBe(1);
  expect(second.idToken.claims.auth_time).toBe(first.idToken.claims.auth_time);
  expect(second.idToken.claims.sub).toBe(first.idToken.claims.sub);
});
