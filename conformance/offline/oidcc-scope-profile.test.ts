// oidcc-scope-profile (OIDCCScopeProfile): the happy flow with scope "openid profile", then userinfo. The
// suite skips the module when scopes_supported does not list every scope asked for
// (OIDCCCheckScopesSupportedContainScopeTest); otherwise it checks userinfo (200, JSON, standard claim
// types, the id_token's sub) and warns when the scopes' claims (OIDC Core §5.4) are missing. Offline: where
// Sigil lists the scopes their claims must come back; where it does not, the request must still succeed,
// the unsupported scope must not be granted, and none of its claims may appear.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, expectScopeClaims, expectUserinfo, startOp, missingScopeClaims, expectWarningAccountedFor, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("scope \"openid profile\": the flow succeeds, and userinfo returns the claims of every supported scope and none of an unsupported one", async () => {
  await expectScopeClaims(op, "openid profile");
});

test("scopes_supported lists profile, so the suite runs this module rather than skipping it", () => {
  expect(op.metadata.scopes_supported).toContain("profile");
});

test("userinfo holds every standard claim of scope \"openid profile\" (OIDC Core §5.4), or expected-failures.json accounts for the suite's warning", async () => {
  const flow = await completeFlow(op, { scope: "openid profile" });
  const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  const missing = missingScopeClaims("openid profile", userinfo);
  await expectWarningAccountedFor("oidcc-scope-profile", "VerifyScopesReturnedInUserInfoClaims", missing.length > 0, { missingClaims: missing });
});
