// Behind a trusted proxy one tenant answers at http://host and https://host, and each origin is an
// issuer of its own: an access token minted at one is not accepted at the other's userinfo or
// introspection endpoint. The tests play the proxy over loopback, setting X-Forwarded-Proto.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { obtainTokens } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let accessToken: string;

beforeAll(async () => {
  server = await startSigil({ args: ["--trust-proxy"] });
  p = await provision(server);
  accessToken = (await obtainTokens(server, p)).tokens.access_token;
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const userinfo = (headers: Record<string, string> = {}) =>
  server.fetch("/oauth2/v1/userinfo", { headers: { authorization: `Bearer ${accessToken}`, ...headers } });

const introspect = async (headers: Record<string, string> = {}) => {
  const response = await server.fetch("/oauth2/v1/introspect", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`, ...headers },
    body: new URLSearchParams({ token: accessToken }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { active: boolean }).active;
};

test("userinfo accepts a token minted at http://localhost:PORT there, and refuses it when the proxy says the request came over https", async () => {
  const here = await userinfo();
  expect(here.status).toBe(200);
  expect(((await here.json()) as { sub?: string }).sub).toBeString();
  // The header alone refuses nothing: the same origin, said through the proxy, still accepts it.
  const viaProxy = await userinfo({ "x-forwarded-proto": "http" });
  expect(viaProxy.status).toBe(200);
  await viaProxy.body?.cancel();

  const elsewhere = await userinfo({ "x-forwarded-proto": "https" });
  expect(elsewhere.status).toBe(401);
  expect(elsewhere.headers.get("www-authenticate")).toContain('error="invalid_token"');
  await elsewhere.body?.cancel();
});

test("introspection reports the token active at its own origin and inactive at the other", async () => {
  expect(await introspect()).toBe(true);
  expect(await introspect({ "x-forwarded-proto": "https" })).toBe(false);
});
