// Two Sigil nodes on one PostgreSQL database, as behind a load balancer that sends each request
// wherever it likes: whatever one node starts, the other finishes; single-use things are used once
// across both; limits count across both; a key rotation reaches both; a killed node loses nothing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startCluster, type SigilCluster } from "../support/cluster.ts";
import { anotherUser, provision, type Provisioned } from "../support/fixtures.ts";
import { login, obtainCode, obtainTokens, redeemCode, startAuthorization, tokenRequest } from "../support/oauth-flow.ts";
import type { SigilServer } from "../support/sigil.ts";

let cluster: SigilCluster;
let a: SigilServer;
let b: SigilServer;
let p: Provisioned;
beforeAll(async () => {
  // A low per-IP failure limit, so that the shared count shows before any per-account throttle.
  cluster = await startCluster(2, { env: { SIGIL_LOGIN_FAILURE_LIMIT: "4", SIGIL_LOGIN_FAILURE_WINDOW: "600" } });
  [a, b] = cluster.nodes as [SigilServer, SigilServer];
  p = await provision(a);
});
afterAll(async () => {
  await cluster?.stop();
});

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
async function introspect(node: SigilServer, token: string): Promise<boolean> {
  const response = await node.fetch("/oauth2/v1/introspect", {
    host: p.host, method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}` },
    body: new URLSearchParams({ token }),
  });
  return ((await response.json()) as { active: boolean }).active;
}
const kids = async (node: SigilServer) => ((await (await node.fetch("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

test("a sign-in authorized on node A is redeemed on node B, and B's tokens work on A", async () => {
  const flow = await obtainCode(a, p);
  const tokens = await redeemCode(b, p, flow.code, flow.pkce?.verifier);
  expect(claimsOf(tokens.id_token!).nonce).toBe(flow.nonce);
  const info = await a.fetch("/oauth2/v1/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(info.status).toBe(200);
  expect(((await info.json()) as { sub: string }).sub).toBe(claimsOf(tokens.id_token!).sub as string);
  // Both nodes publish the same keys: the one that signed is known to both.
  expect(await kids(a)).toEqual(await kids(b));
});

test("a code redeemed on both nodes at once is redeemed once at most, and the replay ends its grant on both", async () => {
  for (let round = 0; round < 5; round++) {
    const flow = await obtainCode(a, p);
    const form = { grant_type: "authorization_code", code: flow.code, redirect_uri: p.redirectUri, code_verifier: flow.pkce!.verifier };
    const [onA, onB] = await Promise.all([tokenRequest(a, p, form), tokenRequest(b, p, form)]);
    // One node consumes the code; the other finds it used, which is a replay (RFC 6749 §4.1.2), and
    // revokes the grant: the first then gets its tokens only if it finished before, and they die.
    const statuses = [onA.status, onB.status].sort();
    expect(statuses[1]).toBe(400);
    const loser = onA.status === 400 ? onA : onB;
    expect(((await loser.json()) as { error: string }).error).toBe("invalid_grant");
    if (statuses[0] === 200) {
      const winner = (await (onA.status === 200 ? onA : onB).json()) as { access_token: string; refresh_token: string };
      expect(await introspect(b, winner.access_token)).toBe(false);
      expect((await tokenRequest(a, p, { grant_type: "refresh_token", refresh_token: winner.refresh_token })).status).toBe(400);
    }
  }
});

test("a refresh token reused on the other node revokes the whole family on both", async () => {
  const { tokens } = await obtainTokens(a, p);
  const refresh = (node: SigilServer, token: string) => tokenRequest(node, p, { grant_type: "refresh_token", refresh_token: token });
  const rotated = await refresh(b, tokens.refresh_token);
  expect(rotated.status).toBe(200);
  const next = (await rotated.json()) as { refresh_token: string; access_token: string };
  // The first token again, at A: reuse. The family ends: B's newer token and its access token stop working.
  expect((await refresh(a, tokens.refresh_token)).status).toBe(400);
  expect((await refresh(b, next.refresh_token)).status).toBe(400);
  expect(await introspect(a, next.access_token)).toBe(false);
});

test("the failed sign-in limit per client IP counts the failures made on every node", async () => {
  const bob = await anotherUser(a, p, "bob");
  const { returnTo } = await startAuthorization(a, bob);
  // One client (its address as the load balancer reports it), and another one beside it.
  const from = (node: SigilServer, ip: string) => ({ fetch: (path: string, init: RequestInit & { host?: string } = {}) =>
    node.fetch(path, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), "x-forwarded-for": ip } }) });
  // Four wrong passwords, alternating nodes: two on each, the limit (4) only in sum.
  for (const node of [a, b, a, b]) expect((await login(from(node, "203.0.113.9"), bob, returnTo, "wrong-password")).status).toBe(401);
  // Another client is not affected.
  expect((await login(from(b, "203.0.113.10"), bob, returnTo)).status).toBe(200);
  // Now even the right password is refused, on either node.
  for (const node of [a, b]) {
    const refused = await login(from(node, "203.0.113.9"), bob, returnTo);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  }
});

test("`sigil keys rotate` on the shared store is published and used by both nodes within seconds", async () => {
  const before = await kids(a);
  const out = await a.cliOk(["keys", "rotate", "localhost"]);
  const kid = /new active signing key (\S+)/.exec(out)?.[1];
  expect(kid).toBeDefined();
  expect(before).not.toContain(kid);
  const deadline = Date.now() + 5000;
  while (!((await kids(a)).includes(kid!) && (await kids(b)).includes(kid!)) && Date.now() < deadline) await Bun.sleep(50);
  expect((await kids(a))[0]).toBe(kid!);
  expect((await kids(b))[0]).toBe(kid!);
  // The old key stays published, so tokens it signed still verify.
  expect(await kids(b)).toContain(before[0]!);
  for (const node of [a, b]) {
    const flow = await obtainCode(node, p);
    const tokens = await redeemCode(node, p, flow.code, flow.pkce?.verifier);
    expect(kidOf(tokens.id_token!)).toBe(kid!);
  }
});

test("kill -9 of one node under load loses nothing committed, and the other node keeps serving", async () => {
  const c = await cluster.addNode();
  const issued: string[] = [];
  let stop = false;
  // Flows that sign in on C and redeem on A or C, while C is killed part-way.
  const worker = async (redeemAt: SigilServer) => {
    while (!stop) {
      try {
        const flow = await obtainCode(c, p);
        const tokens = await redeemCode(redeemAt, p, flow.code, flow.pkce?.verifier);
        issued.push(tokens.refresh_token);
      } catch {
        // C went away mid-flow: what it had not committed is not promised.
      }
    }
  };
  const workers = [worker(a), worker(c), worker(a)];
  const deadline = Date.now() + 20_000;
  while (issued.length < 6 && Date.now() < deadline) await Bun.sleep(20);
  await c.stop("SIGKILL");
  stop = true;
  await Promise.all(workers);
  expect(issued.length).toBeGreaterThanOrEqual(6);
  // Every refresh token a client received, from either node, is in the store and works on B.
  for (const token of issued) {
    const response = await tokenRequest(b, p, { grant_type: "refresh_token", refresh_token: token });
    expect(response.status).toBe(200);
  }
  const { tokens } = await obtainTokens(b, p);
  expect(tokens.access_token.length).toBeGreaterThan(0);
});
