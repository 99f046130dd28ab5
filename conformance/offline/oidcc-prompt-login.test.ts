// oidcc-prompt-login (OIDCCPromptLogin): sign in, wait a second, authorize again with prompt=login.
// The OP must make the user sign in again (the suite asks for a screenshot of the second login
// page) and the second id_token's auth_time, if present, must be later than the first
// (CheckSecondIdTokenAuthTimeIsLaterIfPresent). Offline the browser is Sigil's sign-in page
// emulated (UserAgent): it holds the single sign-on assertion and offers it unless prompt=login.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, loginPageReturn, postLogin, sendAuthorization, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("with prompt=login the user signs in a second time and the second auth_time is later", async () => {
  const agent = new UserAgent(op);
  const first = await completeFlow(op, { agent });
  expect(agent.interactiveLogins).toBe(1);
  expect(agent.sso).not.toBeNull();
  await Bun.sleep(1100);
  const second = await completeFlow(op, { agent, extra: { prompt: "login" } });
  expect(agent.interactiveLogins).toBe(2);
  expect(second.idToken.claims.sub).toBe(first.idToken.claims.sub);
  expect(typeof second.idToken.claims.auth_time).toBe("number");
  expect(second.idToken.claims.auth_time!).toBeGreaterThan(first.idToken.claims.auth_time!);
});

test("the server itself refuses to reuse a live single sign-on assertion for a prompt=login request", async () => {
  const agent = new UserAgent(op);
  await completeFlow(op, { agent });
  const request = authorizationRequest(op, { extra: { prompt: "login" } });
  const returnTo = loginPageReturn(op, await sendAuthorization(op, request));
  const answer = await postLogin(op, { sso: agent.sso!, return: returnTo });
  expect(answer.status).not.toBe(200);
  expect(answer.body.error).toBe("login_required");
  expect(answer.body.code).toBeUndefined();
  // Without prompt=login the same assertion is accepted: the refusal above is prompt=login's doing.
  const plain = authorizationRequest(op);
  const reuse = await postLogin(op, { sso: agent.sso!, return: loginPageReturn(op, await sendAuthorization(op, plain)) });
  expect(reuse.status).toBe(200);
  expect(typeof reuse.body.code).toBe("string");
});
