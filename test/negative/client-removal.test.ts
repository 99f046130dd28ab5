// A token lives no longer than its client: removing a client ends its users' access and refresh
// tokens at once, and registering a client again under the same client_id revives none of them.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { addConfidentialClient, anotherUser, provision, type Provisioned } from "../support/fixtures.ts";
import { userinfo } from "../support/negative.ts";
import { obtainTokens, tokenRequest } from "../support/oauth-flow.ts";
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

const introspect = (token: string) => server.fetch("/oauth2/v1/introspect", {
  method: "POST", headers: { authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ token }),
}).then((response) => response.json() as Promise<{ active: boolean }>);

test("removing a client ends its tokens, and the same client_id registered again revives none", async () => {
  const app = await addConfidentialClient(server, "localhost", "short-app", { redirectUri: "https://short.example/cb" });
  const party = { ...(await anotherUser(server, p, "carla")), clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: "https://short.example/cb" };
  const { tokens } = await obtainTokens(server, party);
  expect((await userinfo(server, p, tokens.access_token)).status).toBe(200);
  expect((await introspect(tokens.access_token)).active).toBe(true);

  await server.cliOk(["client", "remove", "localhost", "short-app"]);
  expect((await userinfo(server, p, tokens.access_token)).status).toBe(401);
  expect((await introspect(tokens.access_token)).active).toBe(false);

  // Registered again with the same client_id (and a new secret): the old tokens stay dead.
  const again = await addConfidentialClient(server, "localhost", "short-app", { redirectUri: "https://short.example/cb" });
  expect((await userinfo(server, p, tokens.access_token)).status).toBe(401);
  const refreshed = await tokenRequest(server, { ...party, clientSecret: again.clientSecret }, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  expect(refreshed.status).toBe(400);
  expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");

  // Control: the new registration works for a new sign-in.
  const fresh = await obtainTokens(server, { ...party, clientSecret: again.clientSecret });
  expect((await userinfo(server, p, fresh.tokens.access_token)).status).toBe(200);
});
