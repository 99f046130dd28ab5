// oidcc-claims-essential (OIDCCClaimsEssential): scope openid plus the claims parameter asking for
// name as an essential userinfo claim (OIDC Core §5.5, §5.5.1). The authorization must succeed;
// userinfo must pass its checks; the suite warns when userinfo lacks name
// (EnsureUserInfoContainsName) or the id_token carries it (EnsureIdTokenDoesNotContainName).
// Sigil announces claims_parameter_supported=false and so may ignore the request (§5.5: essential
// claims are still not guaranteed); the warning that follows must then be listed in
// conformance/expected-failures.json, or the live run fails.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, expectUserinfo, expectWarningAccountedFor, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

const CLAIMS = JSON.stringify({ userinfo: { name: { essential: true } } });

test("a request with claims={userinfo:{name:{essential:true}}} succeeds, userinfo passes, and the id_token has no name", async () => {
  const flow = await completeFlow(op, { extra: { claims: CLAIMS } });
  await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  expect(flow.idToken.claims).not.toHaveProperty("name");
});

test("userinfo returns the essential name claim, or expected-failures.json accounts for the suite's warning", async () => {
  const flow = await completeFlow(op, { extra: { claims: CLAIMS } });
  const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  await expectWarningAccountedFor("oidcc-claims-essential", "EnsureUserInfoContainsName", typeof userinfo.name !== "string", { userinfoClaims: Object.keys(userinfo).sort() });
});
