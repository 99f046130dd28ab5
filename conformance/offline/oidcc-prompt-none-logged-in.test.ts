// oidcc-prompt-none-logged-in (OIDCCPromptNoneLoggedIn): sign in, then authorize again with
// prompt=none. The OP must answer at once without asking the user anything, and the two id_tokens
// must agree on sub (CheckIdTokenSubConsistentForSecondAuthorization) and on auth_time when present
// (CheckIdTokenAuthTimeClaimsSameIfPresent).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { completeFlow, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("prompt=none after a sign-in succeeds silently with the same sub and auth_time", async () => {
  const agent = new UserAgent(op);
  const first = await completeFlow(op, { agent });
  const second = await completeFlow(op, { agent, extra: { prompt: "none" } });
  expect(agent.interactiveLogins).toBe(1);
  expect(second.idToken.claims.sub).toBe(first.idToken.claims.sub);
  expect(second.idToken.claims.auth_time).toBe(first.idToken.claims.auth_time);
  expect(second.code).not.toBe(first.code);
});
