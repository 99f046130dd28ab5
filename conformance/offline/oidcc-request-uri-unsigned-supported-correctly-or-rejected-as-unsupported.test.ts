// oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported
// (OIDCCRequestUriUnsignedSupportedCorrectlyOrRejectedAsUnsupported): the authorization request is an
// unsigned request object passed by reference in request_uri (OIDC Core §6.2). The OP must process
// it or answer request_uri_not_supported (§3.1.2.6). The suite runs it only with dynamic clients;
// offline it runs anyway, since the behaviour does not depend on how the client was registered.
// Sigil announces request_uri_parameter_supported=false and must never fetch the URI.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { authorizationRequest, expectAuthorizationError, sendAuthorization, startOp, type Op } from "./support.ts";

let op: Op;
let fetched = 0;
let objectServer: ReturnType<typeof Bun.serve>;
beforeAll(async () => {
  op = await startOp();
  objectServer = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => {
    fetched++;
    return new Response("e30.e30.", { headers: { "content-type": "application/oauth-authz-req+jwt" } });
  } });
});
afterAll(async () => {
  await objectServer.stop(true);
  await op.stop();
});

test("discovery says request_uri is not supported", () => {
  expect(op.metadata.request_uri_parameter_supported).toBe(false);
});

test("a request_uri is answered with request_uri_not_supported by redirect, and the URI is never fetched", async () => {
  const request = authorizationRequest(op, { extra: { request_uri: `http://127.0.0.1:${objectServer.port}/request.jwt` } });
  const response = await sendAuthorization(op, request);
  expect(response.status).toBe(302);
  expect(expectAuthorizationError(op, new URL(response.headers.get("location")!), request)).toBe("request_uri_not_supported");
  expect(fetched).toBe(0);
});
