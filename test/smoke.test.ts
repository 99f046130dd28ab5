import { afterAll, beforeAll, expect, test } from "bun:test";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { obtainTokens } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

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

test("a fresh data directory gets the localhost tenant and a one-time admin set-up link", () => {
  expect(server.setupLink).toMatch(/\/setup\.html#token=[A-Za-z0-9_-]{20,}$/);
});

test("the support flow yields tokens whose userinfo sub matches the id_token", async () => {
  const { tokens } = await obtainTokens(server, p);
  const idClaims = JSON.parse(Buffer.from(tokens.id_token!.split(".")[1]!, "base64url").toString());
  const info = await server.fetch("/oauth2/v1/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(info.status).toBe(200);
  expect(((await info.json()) as { sub: string }).sub).toBe(idClaims.sub);
});
