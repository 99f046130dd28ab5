// `sigil keys rotate` takes effect in a running server: new tokens carry the new kid, the
// previous key stays published so earlier tokens keep verifying, and a key two rotations
// old is retired and refused.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
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

const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
const publishedKids = async () => ((await (await server.fetch("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
const userinfoStatus = async (token: string) => (await server.fetch("/oauth2/v1/userinfo", { headers: { authorization: `Bearer ${token}` } })).status;

test("rotation without restart: new kid for new tokens, old tokens valid until their key is retired", async () => {
  const before = await obtainTokens(server, p);
  const firstKid = kidOf(before.tokens.access_token);
  expect(kidOf(before.tokens.id_token!)).toBe(firstKid);
  expect(await publishedKids()).toEqual([firstKid]);

  await server.cliOk(["keys", "rotate", "localhost"]);
  const afterFirst = await obtainTokens(server, p);
  const secondKid = kidOf(afterFirst.tokens.access_token);
  expect(secondKid).not.toBe(firstKid);
  expect((await publishedKids()).sort()).toEqual([firstKid, secondKid].sort());
  expect(await userinfoStatus(before.tokens.access_token)).toBe(200);

  await server.cliOk(["keys", "rotate", "localhost"]);
  const kids = await publishedKids();
  expect(kids).not.toContain(firstKid);
  expect(kids).toContain(secondKid);
  expect(await userinfoStatus(before.tokens.access_token)).toBe(401);
  expect(await userinfoStatus(afterFirst.tokens.access_token)).toBe(200);
});

test("private keys are sealed at rest: the store holds no private JWK member", async () => {
  await obtainTokens(server, p);
  // The WAL holds recent pages until a checkpoint moves them into the main file: read both.
  const bytes = ["sigil.db", "sigil.db-wal"].map((name) => join(server.dataDir, name)).filter(existsSync).map((path) => readFileSync(path).toString("latin1")).join("");
  expect(bytes).toContain('"kty":"RSA"');
  expect(bytes).not.toContain('"d":"');
  expect(bytes).not.toContain('"p":"');
});
