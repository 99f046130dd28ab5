// oidcc-ensure-request-with-acr-values-succeeds (OIDCCEnsureRequestWithAcrValuesSucceeds): acr_values
// carrying the OP's advertised acr_values_supported. The authorization must succeed; the id_token
// should (a warning in the suite) carry an acr that is one of the requested values
// (ValidateIdTokenACRClaimAgainstAcrValuesRequest), and acr, when present, is never empty.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { completeFlow, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("acr_values set to acr_values_supported succeeds and the id_token's acr is one of them", async () => {
  const supported = op.metadata.acr_values_supported as string[] | undefined;
  expect(Array.isArray(supported)).toBe(true);
  expect(supported!.length).toBeGreaterThan(0);
  const flow = await completeFlow(op, { extra: { acr_values: supported!.join(" ") } });
  expect(supported).toContain(flow.idToken.claims.acr!);
});

test("acr_values the OP has never heard of (the suite's fallback \"1 2\") still succeed", async () => {
  const flow = await completeFlow(op, { extra: { acr_values: "1 2" } });
  if (flow.idToken.claims.acr !== undefined) expect(flow.idToken.claims.acr).not.toBe("");
});
