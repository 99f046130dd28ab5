// Failed sign-ins are limited per client IP (10 within 60 s by default); once over the limit every
// attempt, even a correct one, gets 429 with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3).
// An unknown user fails exactly like a wrong password. This file has its own server: it exhausts the limit.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ha1, provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError, readAnswer } from "../support/negative.ts";
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

const signIn = (returnTo: string, user: string, hash: string) =>
  server.fetch("/oauth2/v1/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ user, ha1: hash, return: returnTo }),
  });

const WRONG_HASH = ha1("alice", "localhost", "not-the-password");

test("after 10 failed sign-ins within 60 s the 11th, even with the correct HA1, gets 429 with Retry-After; an unknown user fails like a wrong hash", async () => {
  const { returnTo } = await startAuthorization(server, p);

  // An unknown user and a wrong hash answer alike: same status, same body, byte for byte.
  const wrong = await readAnswer(await signIn(returnTo, "alice", WRONG_HASH));
  const unknown = await readAnswer(await signIn(returnTo, "nobody-here", ha1("nobody-here", "localhost", "whatever")));
  const unknownUpperCaseHash = await readAnswer(await signIn(returnTo, "mallory", WRONG_HASH.toUpperCase()));
  expect(wrong.status).toBe(401);
  expect(wrong.json?.error).toBe("invalid_credentials");
  for (const other of [unknown, unknownUpperCaseHash]) {
    expect(other.status).toBe(wrong.status);
    expect(other.text).toBe(wrong.text);
    expect(other.headers.get("retry-after")).toBe(wrong.headers.get("retry-after"));
  }

  // Seven more failures make ten; none of them is limited yet.
  for (let i = 0; i < 7; i++) {
    await expectJsonError(await signIn(returnTo, i % 2 === 0 ? "alice" : `ghost-${i}`, WRONG_HASH), 401, "invalid_credentials");
  }

  const limited = await signIn(returnTo, "alice", ha1("alice", "localhost", p.password));
  const retryAfter = limited.headers.get("retry-after");
  await expectJsonError(limited, 429, "too_many_requests");
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);

  // Limited for everyone from this IP, known or unknown user alike.
  const limitedUnknown = await signIn(returnTo, "nobody-here", WRONG_HASH);
  expect(limitedUnknown.status).toBe(429);
  expect(limitedUnknown.headers.get("retry-after")).toMatch(/^\d+$/);
});

test("control: on a fresh server the correct HA1 signs in after 9 failures", async () => {
  const fresh = await startSigil();
  try {
    const q = await provision(fresh);
    const { returnTo } = await startAuthorization(fresh, q);
    const attempt = (hash: string) => fresh.fetch("/oauth2/v1/login", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ user: "alice", ha1: hash, return: returnTo }),
    });
    for (let i = 0; i < 9; i++) expect((await attempt(WRONG_HASH)).status).toBe(401);
    const ok = await attempt(ha1("alice", "localhost", q.password));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { code?: string }).code).toBeString();
  } finally {
    await fresh.stop();
    removeDataDir(fresh.dataDir);
  }
});
