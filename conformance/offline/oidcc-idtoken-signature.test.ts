// oidcc-idtoken-signature (OIDCCIdTokenSignature): the id_token, requested without naming an
// algorithm, carries a kid (EnsureIdTokenContainsKid, OIDC Core §10.1) and is signed with RS256
// (EnsureIdTokenSignatureIsRS256), and passes the standard checks. The suite runs it only with
// dynamic clients; offline it runs with the static client, which has no algorithm registered either.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { generateKeyPair, SignJWT } from "jose";
import { completeFlow, expectValidIdToken, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("the id_token header has alg RS256 and a kid that names an RSA signing key in the JWKS", async () => {
  const flow = await completeFlow(op);
  expect(flow.idToken.header.alg).toBe("RS256");
  const key = op.jwks.keys.find((candidate) => candidate.kid === flow.idToken.header.kid);
  expect(key?.kty).toBe("RSA");
  if (key?.use !== undefined) expect(key.use).toBe("sig");
  if (key?.alg !== undefined) expect(key.alg).toBe("RS256");
  expect(op.metadata.id_token_signing_alg_values_supported).toContain("RS256");
  expect(op.metadata.id_token_signing_alg_values_supported).not.toContain("none");
});

test("control: the battery's id_token check rejects a token with the same claims and kid signed by another key", async () => {
  const flow = await completeFlow(op);
  const { privateKey } = await generateKeyPair("RS256");
  const forged = await new SignJWT(flow.idToken.claims).setProtectedHeader({ alg: "RS256", kid: flow.idToken.header.kid! }).sign(privateKey);
  await expect(expectValidIdToken(op, forged, { nonce: flow.request.nonce })).rejects.toThrow();
});
