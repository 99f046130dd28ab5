// Hot key rotation: `sigil keys rotate` run beside a live server changes the key new tokens
// are signed with, keeps the previous key published so tokens already out keep working,
// and retires a key two rotations old. Private keys never sit in the store in the clear.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { obtainTokens } from "../support/oauth-flow.ts";
import { jwksOf, kidOf, publishedKids, storeBytes, userinfoStatus } from "../support/operations.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

/** Verifies an id_token against the JWKS the server publishes right now. */
async function verifiesAgainstJwks(idToken: string): Promise<boolean> {
  const jwks = createLocalJWKSet((await jwksOf(server)) as unknown as JSONWebKeySet);
  try {
    await jwtVerify(idToken, jwks, { issuer: server.origin(), audience: p.clientId });
    return true;
  } catch {
    return false;
  }
}

test("rotation without restart: two keys published, new tokens carry the new kid, the old access token still works until a second rotation retires its key", async () => {
  const before = await obtainTokens(server, p);
  const firstKid = kidOf(before.tokens.id_token!);
  expect(kidOf(before.tokens.access_token)).toBe(firstKid);
  expect(await publishedKids(server)).toEqual([firstKid]);
  expect(await userinfoStatus(server, before.tokens.access_token)).toBe(200);

  const firstRotation = await server.cliOk(["keys", "rotate", "localhost"]);
  const afterFirst = await obtainTokens(server, p);
  const secondKid = kidOf(afterFirst.tokens.id_token!);
  expect(secondKid).not.toBe(firstKid);
  expect(kidOf(afterFirst.tokens.access_token)).toBe(secondKid);
  expect(firstRotation).toContain(secondKid);
  expect(await publishedKids(server)).toEqual([firstKid, secondKid].sort());
  expect(await verifiesAgainstJwks(afterFirst.tokens.id_token!)).toBe(true);
  expect(await verifiesAgainstJwks(before.tokens.id_token!)).toBe(true);
  expect(await userinfoStatus(server, before.tokens.access_token)).toBe(200);
  expect(await userinfoStatus(server, afterFirst.tokens.access_token)).toBe(200);

  const secondRotation = await server.cliOk(["keys", "rotate", "localhost"]);
  const afterSecond = await obtainTokens(server, p);
  const thirdKid = kidOf(afterSecond.tokens.id_token!);
  expect(secondRotation).toContain(thirdKid);
  expect([firstKid, secondKid]).not.toContain(thirdKid);
  expect(await publishedKids(server)).toEqual([secondKid, thirdKid].sort());
  expect(await verifiesAgainstJwks(before.tokens.id_token!)).toBe(false);
  expect(await userinfoStatus(server, before.tokens.access_token)).toBe(401);
  expect(await userinfoStatus(server, afterFirst.tokens.access_token)).toBe(200);
  expect(await userinfoStatus(server, afterSecond.tokens.access_token)).toBe(200);
});

test("the JWKS publishes public keys only", async () => {
  for (const key of (await jwksOf(server)).keys as Record<string, unknown>[]) {
    expect(key.kty).toBe("RSA");
    for (const member of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(member);
  }
});

test("private keys are not stored in the clear: the sigil.db bytes hold no \"d\":\" JWK member", async () => {
  await obtainTokens(server, p);
  const bytes = storeBytes(server.dataDir);
  // Public keys are stored as JWK text, so a private JWK stored the same way would show here.
  expect(bytes).toContain('"kty":"RSA"');
  for (const kid of await publishedKids(server)) expect(bytes).toContain(kid);
  expect(bytes).not.toContain('"d":"');
  expect(bytes).not.toContain('"dp":"');
  expect(bytes).not.toContain('"qi":"');
});
