// Parameters are checked against each route's declared schema before its handler runs, and a value
// the schema refuses gets the API's own 400 (RFC 6749 invalid_request, or the account API's
// invalid_input), never Elysia's 422, on both URL shapes of the sign-in API.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError, expectNoStackTrace, readAnswer } from "../support/negative.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

test("a value outside a parameter's declared choices is invalid_request naming the parameter, on both URL shapes", async () => {
  const { returnTo } = await startAuthorization(server, p);
  for (const path of ["/oauth2/v1/wallet-start", "/oidc.ashx?action=wallet-start"]) {
    const answer = await expectJsonError(await server.fetch(path, json({ return: returnTo, flow: "sideways" })), 400, "invalid_request");
    expect(answer.json?.error_description).toStartWith("The parameter flow must be one of: cross_device, same_device");
    expectNoStackTrace(answer.text);
  }
  // Control: a declared value passes the schema and reaches the handler.
  const started = await server.fetch("/oauth2/v1/wallet-start", json({ return: returnTo, flow: "same_device" }));
  expect(started.status).toBe(201);
});

test("the account API answers a refused parameter in its own shape, with the code invalid_input", async () => {
  const response = await server.fetch("/account/v1/wallet/link/confirm", json({ transaction_id: "x", response_code: "y", decision: "maybe" }));
  const answer = await readAnswer(response);
  expect(answer.status).toBe(400);
  expect(answer.json).toEqual({ error: { code: "invalid_input", message: "decision must be one of: link, cancel." } });
});
