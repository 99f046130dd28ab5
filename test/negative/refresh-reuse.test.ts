// Refresh tokens rotate; presenting a spent one revokes the whole family (RFC 9700 §4.14.2),
// they are bound to their client (RFC 6749 §6) and a refresh cannot widen the scope (RFC 6749 §6).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError, introspect, userinfo } from "../support/negative.ts";
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

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
}

const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
  tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: refreshToken, ...extra });

async function refreshOk(refreshToken: string, extra: Record<string, string> = {}): Promise<Tokens> {
  const response = await refresh(refreshToken, extra);
  expect(response.status).toBe(200);
  return (await response.json()) as Tokens;
}

test("presenting a spent refresh token is refused with invalid_grant and revokes the whole family", async () => {
  const { tokens: first } = await obtainTokens(server, p);
  const second = await refreshOk(first.refresh_token);
  const third = await refreshOk(second.refresh_token);
  // The family is alive before the replay.
  expect((await userinfo(server, p, third.access_token)).status).toBe(200);
  expect((await introspect(server, p, third.refresh_token, "refresh_token")).active).toBe(true);

  await expectJsonError(await refresh(first.refresh_token), 400, "invalid_grant", third.refresh_token);

  for (const access of [first.access_token, second.access_token, third.access_token]) {
    expect((await userinfo(server, p, access)).status).toBe(401);
    expect(await introspect(server, p, access)).toEqual({ active: false });
  }
  expect(await introspect(server, p, third.refresh_token, "refresh_token")).toEqual({ active: false });
  await expectJsonError(await refresh(third.refresh_token), 400, "invalid_grant");
});

test("a replay of the newest-but-one refresh token also kills the newest one", async () => {
  const { tokens: first } = await obtainTokens(server, p);
  const second = await refreshOk(first.refresh_token);
  await expectJsonError(await refresh(first.refresh_token), 400, "invalid_grant");
  await expectJsonError(await refresh(second.refresh_token), 400, "invalid_grant");
  expect((await userinfo(server, p, second.access_token)).status).toBe(401);
});

test("a replay does not touch another family of the same user and client", async () => {
  const { tokens: victim } = await obtainTokens(server, p);
  const { tokens: bystander } = await obtainTokens(server, p);
  await refreshOk(victim.refresh_token);
  await expectJsonError(await refresh(victim.refresh_token), 400, "invalid_grant");
  expect((await userinfo(server, p, bystander.access_token)).status).toBe(200);
  await refreshOk(bystander.refresh_token);
});

test("rp's refresh token presented by the public client spa is refused with invalid_grant and does not burn it", async () => {
  const { tokens } = await obtainTokens(server, p);
  const stolen = await tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: p.publicClientId }, "none");
  await expectJsonError(stolen, 400, "invalid_grant");
  // rp can still refresh with it, and its access token still works: nothing was spent or revoked.
  expect((await userinfo(server, p, tokens.access_token)).status).toBe(200);
  const renewed = await refreshOk(tokens.refresh_token);
  expect(renewed.access_token).toBeString();
});

test("a refresh asking for a scope the grant did not have is refused with invalid_scope", async () => {
  const { tokens } = await obtainTokens(server, p, { scope: "openid profile" });
  expect(tokens.scope.split(" ").sort()).toEqual(["openid", "profile"]);
  await expectJsonError(await refresh(tokens.refresh_token, { scope: "openid profile email" }), 400, "invalid_scope");
});

test("a refused scope widening does not spend the refresh token: the client can still refresh with it", async () => {
  const { tokens } = await obtainTokens(server, p, { scope: "openid profile" });
  await expectJsonError(await refresh(tokens.refresh_token, { scope: "openid profile email" }), 400, "invalid_scope");
  // RFC 6749 §5.2: an error response issues nothing; nor may it invalidate the token, or the
  // client's next, correct refresh would look like a replay and revoke its whole grant.
  const renewed = await refreshOk(tokens.refresh_token);
  expect(renewed.scope).toBe("openid profile");
  expect((await userinfo(server, p, renewed.access_token)).status).toBe(200);
});

test("control: narrowing the scope at refresh is allowed", async () => {
  const { tokens } = await obtainTokens(server, p, { scope: "openid profile email" });
  const narrowed = await refreshOk(tokens.refresh_token, { scope: "openid" });
  expect(narrowed.scope).toBe("openid");
});
