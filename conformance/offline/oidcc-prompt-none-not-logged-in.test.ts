// oidcc-prompt-none-not-logged-in (OIDCCPromptNoneNotLoggedIn): prompt=none from a browser with no
// session (and a 128-character state). The OP must redirect back with an error that asks for a user
// interface (login_required, interaction_required, account_selection_required or consent_required),
// passing the generic error checks (state and iss echoed, no code, nothing unexpected, a clean
// error_description). It must never show a form.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, expectAuthorizationError, loginPageReturn, postLogin, sendAuthorization, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

const UI_REQUIRED = ["interaction_required", "login_required", "account_selection_required", "consent_required"];

test("prompt=none without a session comes back to the client with login_required or kin", async () => {
  const request = authorizationRequest(op, { state: "s".repeat(64) + crypto.randomUUID().replace(/-/g, "").repeat(2), extra: { prompt: "none" } });
  expect(request.state!.length).toBe(128);
  const agent = new UserAgent(op);
  const callback = await agent.authorize(request);
  expect(agent.interactiveLogins).toBe(0);
  expect(UI_REQUIRED).toContain(expectAuthorizationError(op, callback, request));
});

test("an assertion that is not Sigil's is no session either: prompt=none still ends in an error redirect", async () => {
  const request = authorizationRequest(op, { extra: { prompt: "none" } });
  const returnTo = loginPageReturn(op, await sendAuthorization(op, request));
  const forged = `${Buffer.from('{"alg":"HS256","typ":"sigil-sso+jwt"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "x", iss: op.issuer, aud: op.issuer, auth_time: 1, exp: 4102444800 })).toString("base64url")}.AAAA`;
  const answer = await postLogin(op, { sso: forged, return: returnTo });
  expect(answer.body.code).toBeUndefined();
  expect(UI_REQUIRED).toContain(answer.body.error!);
  expect(UI_REQUIRED).toContain(expectAuthorizationError(op, new URL(answer.body.redirect!), request));
});
