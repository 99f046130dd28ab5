// oidcc-ensure-request-with-valid-pkce-succeeds (OIDCCEnsureRequestWithValidPkceSucceeds): a
// confidential client sends a valid S256 code_challenge and the code_verifier at the token
// endpoint (RFC 7636 §4.3, §4.5); the flow must succeed with every happy-flow check.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, completeFlow, exchangeCode, expectAuthorizationSuccess, expectTokenError, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("a request with a valid S256 code_challenge and the matching code_verifier succeeds", async () => {
  const flow = await completeFlow(op, { pkce: true });
  expect(flow.request.params.get("code_challenge_method")).toBe("S256");
  expect(flow.request.params.get("code_challenge")).toBe(flow.request.pkce!.challenge);
});

test("control: the same code with a wrong code_verifier is refused with invalid_grant, so the challenge is really checked", async () => {
  const request = authorizationRequest(op, { pkce: true });
  const code = expectAuthorizationSuccess(op, await new UserAgent(op).authorize(request), request);
  const wrong = { ...request, pkce: { verifier: "x".repeat(43), challenge: request.pkce!.challenge } };
  await expectTokenError(await exchangeCode(op, code, wrong), "invalid_grant");
});
