// oidcc-id-token-hint (OIDCCIdTokenHint): sign in, then authorize with prompt=none and the first
// id_token as id_token_hint. The OP must answer at once, with the same sub and auth_time
// (OIDC Core §3.1.2.1, §3.1.2.2).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, expectAuthorizationError, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("prompt=none with the first id_token as id_token_hint succeeds silently with the same sub and auth_time", async () => {
  const agent = new UserAgent(op);
  const first = await completeFlow(op, { agent });
  const second = await completeFlow(op, { agent, extra: { prompt: "none", id_token_hint: first.tokens.id_token! } });
  expect(agent.interactiveLogins).toBe(1);
  expect(second.idToken.claims.sub).toBe(first.idToken.claims.sub);
  expect(second.idToken.claims.auth_time).toBe(first.idToken.claims.auth_time);
});

test("control: the same hint from a browser with no session gets login_required, so the success above came from the session", async () => {
  const first = await completeFlow(op);
  const request = authorizationRequest(op, { extra: { prompt: "none", id_token_hint: first.tokens.id_token! } });
  const callback = await new UserAgent(op).authorize(request);
  expect(expectAuthorizationError(op, callback, request)).toBe("login_required");
});
