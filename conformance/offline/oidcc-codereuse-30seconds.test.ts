// oidcc-codereuse-30seconds (OIDCCAuthCodeReuseAfter30Seconds): the code is reused 30 seconds after
// its first use. The OP must refuse it (400 invalid_grant, as in oidcc-codereuse), and the access
// token of the first exchange should be revoked (RFC 6749 §4.1.2): a userinfo call with it must get
// a 4xx. The delay exists to catch servers that forget spent codes; offline the server runs with
// the shortest code lifetime it accepts (5 s) and the reuse comes after the code has expired,
// which is a later point in the code's life than 30 s is for Sigil's default 60 s codes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { callUserinfo, completeFlow, exchangeCode, expectTokenError, nowSeconds, startOp, tokenEndpoint, type Op } from "./support.ts";

const CODE_TTL = 5;

let op: Op;
beforeAll(async () => {
  op = await startOp({ env: { SIGIL_CODE_TTL: String(CODE_TTL) } });
});
afterAll(() => op.stop());

test("a code reused after its lifetime has passed is refused with invalid_grant and the first access token is revoked", async () => {
  const flow = await completeFlow(op);
  // The code was issued before this second ended, so it expires at the latest CODE_TTL seconds after it.
  const issuedBy = nowSeconds();
  const refresh = flow.tokens.refresh_token;
  expect((await callUserinfo(op, flow.tokens.access_token)).status).toBe(200);
  await Bun.sleep(Math.max(0, (issuedBy + CODE_TTL + 1) * 1000 - Date.now()));
  await expectTokenError(await exchangeCode(op, flow.code, flow.request), "invalid_grant");
  const after = await callUserinfo(op, flow.tokens.access_token);
  expect(after.status).toBeGreaterThanOrEqual(400);
  expect(after.status).toBeLessThan(500);
  if (refresh) {
    await expectTokenError(await tokenEndpoint(op, { grant_type: "refresh_token", refresh_token: refresh }), "invalid_grant");
  }
}, 30_000);
