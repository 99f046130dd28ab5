// oidcc-alternate-happy-flow (OIDCCAlternateHappyFlow, an OIDCCScopeEmail): the email-scope happy
// flow with the scope values reversed and the authorization parameters in another order
// (RFC 6749 §3.3: the order of scope values does not matter), then userinfo with the email claims.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, expectUserinfo, startOp, missingScopeClaims, expectWarningAccountedFor, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("scope \"email openid\" with the parameters in reverse order passes the happy flow and userinfo has the email claims", async () => {
  const order = ["nonce", "state", "response_type", "scope", "redirect_uri", "client_id"];
  const flow = await completeFlow(op, { scope: "email openid", order });
  expect([...flow.request.params.keys()]).toEqual(order);
  expect(flow.tokens.scope?.split(" ").sort()).toEqual(["email", "openid"]);
  const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  expect(userinfo.email).toBe("alice@example.org");
  expect(typeof userinfo.email_verified).toBe("boolean");
});

test("userinfo holds every standard claim of scope \"email openid\" (OIDC Core §5.4), or expected-failures.json accounts for the suite's warning", async () => {
  const flow = await completeFlow(op, { scope: "email openid" });
  const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  const missing = missingScopeClaims("email openid", userinfo);
  await expectWarningAccountedFor("oidcc-alternate-happy-flow", "VerifyScopesReturnedInUserInfoClaims", missing.length > 0, { missingClaims: missing });
});
