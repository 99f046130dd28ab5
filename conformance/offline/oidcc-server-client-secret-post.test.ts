// oidcc-server-client-secret-post (OIDCCServerTestClientSecretPost): the happy flow with the
// suite's client_secret_post client, which sends client_id and client_secret in the token
// request body (RFC 6749 §2.3.1, OIDC Core §9). Discovery must list the method.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import { authorizationRequest, completeFlow, exchangeCode, expectAuthorizationSuccess, expectTokenError, startOp, UserAgent, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp();
});
afterAll(() => op.stop());

test("discovery lists client_secret_post among the token endpoint authentication methods", () => {
  expect(op.metadata.token_endpoint_auth_methods_supported).toContain("client_secret_post");
});

test("the happy flow with client_secret_post passes every check", async () => {
  const flow = await completeFlow(op, { client: op.postClient, auth: "client_secret_post" });
  expect(flow.idToken.claims.aud).toBe(op.postClient.clientId);
});

test("openid-client with ClientSecretPost completes the code exchange", async () => {
  const config = await client.discovery(new URL(op.issuer), op.postClient.clientId, op.postClient.clientSecret, client.ClientSecretPost(), {
    execute: [client.allowInsecureRequests],
  });
  const request = authorizationRequest(op, { clientId: op.postClient.clientId });
  const callback = await new UserAgent(op).authorize(request);
  const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: request.state!, expectedNonce: request.nonce!, idTokenExpected: true });
  expect(tokens.claims()?.aud).toBe(op.postClient.clientId);
});

test("control: a wrong client_secret in the body is refused, so the body credentials are checked", async () => {
  const request = authorizationRequest(op, { clientId: op.postClient.clientId });
  const code = expectAuthorizationSuccess(op, await new UserAgent(op).authorize(request), request);
  const response = await exchangeCode(op, code, request, { ...op.postClient, clientSecret: "wrong-" + op.postClient.clientSecret }, "client_secret_post");
  // RFC 6749 §5.2: 400, or 401 when the server challenges.
  expect([400, 401]).toContain(response.status);
  expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
});
