// The first-admin link that `serve` prints on a data directory without an admin:
// POST /oauth2/v1/setup {token, username, ha1} makes the admin, once.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ha1, provision, type Provisioned } from "../support/fixtures.ts";
import { jwtPart, loginStatus, tokensFor } from "../support/operations.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let token: string;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  token = tokenOf(server.setupLink);
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const ADMIN_PASSWORD = "first-admin-password";
const adminHa1 = (username = "admin") => ha1(username, "localhost", ADMIN_PASSWORD);

function tokenOf(link: string | null): string {
  expect(link).not.toBeNull();
  const value = new URLSearchParams(new URL(link!).hash.slice(1)).get("token");
  expect(value).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  return value!;
}

async function setup(on: SigilServer, body: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await on.fetch("/oauth2/v1/setup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const userNames = async (on: SigilServer) =>
  (await on.cliOk(["user", "list", "localhost"])).split("\n").filter((l) => l.length > 0).map((l) => l.split("\t")[0]);

test("a wrong token is refused with a 4xx and makes no admin", async () => {
  const refused = await setup(server, { token: `${token.slice(0, -4)}AAAA`, username: "admin", ha1: adminHa1() });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.status).toBeLessThan(500);
  expect(await userNames(server)).not.toContain("admin");
  expect(await loginStatus(server, { ...p, username: "admin" }, "admin", ADMIN_PASSWORD)).toBe(401);
});

// The next test uses this same token successfully: the refusal was the HA1's doing, and it did not spend the token.
test("an all-zeros HA1 is refused with a 4xx even with the right token, and makes no admin", async () => {
  const refused = await setup(server, { token, username: "admin", ha1: "0".repeat(32) });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.status).toBeLessThan(500);
  expect(await userNames(server)).not.toContain("admin");
});

test("the printed token makes an admin who signs in with role admin in the id_token", async () => {
  const made = await setup(server, { token, username: "admin", ha1: adminHa1() });
  expect(made.status).toBe(200);
  expect(made.body.ok).toBe(true);
  const line = (await server.cliOk(["user", "list", "localhost"])).split("\n").find((l) => l.startsWith("admin\t"));
  expect(line?.split("\t")[1]).toBe("admin");

  const tokens = await tokensFor(server, p, "admin", ADMIN_PASSWORD);
  const claims = jwtPart(tokens.id_token!, 1);
  expect(claims.role).toBe("admin");
  expect(claims.groups).toContain("admin");
  expect(claims.preferred_username).toBe("admin");
});

test("the same token a second time is refused with a 4xx, even after the admin it made was removed", async () => {
  const again = await setup(server, { token, username: "admin2", ha1: adminHa1("admin2") });
  expect(again.status).toBeGreaterThanOrEqual(400);
  expect(again.status).toBeLessThan(500);

  // With no admin left, only the token's single use stands in the way.
  await server.cliOk(["user", "remove", "localhost", "admin"]);
  const afterRemoval = await setup(server, { token, username: "admin3", ha1: adminHa1("admin3") });
  expect(afterRemoval.status).toBeGreaterThanOrEqual(400);
  expect(afterRemoval.status).toBeLessThan(500);
  const names = await userNames(server);
  expect(names).not.toContain("admin2");
  expect(names).not.toContain("admin3");
  expect(await loginStatus(server, { ...p, username: "admin3" }, "admin3", ADMIN_PASSWORD)).toBe(401);
});

test("a restart without an admin prints a new link that replaces the old one; once an admin exists no link is printed", async () => {
  const first = await startSigil();
  let second: SigilServer | null = null;
  let third: SigilServer | null = null;
  try {
    const oldToken = tokenOf(first.setupLink);
    second = await first.restart();
    const newToken = tokenOf(second.setupLink);
    expect(newToken).not.toBe(oldToken);
    const stale = await setup(second, { token: oldToken, username: "admin", ha1: adminHa1() });
    expect(stale.status).toBeGreaterThanOrEqual(400);
    expect(stale.status).toBeLessThan(500);
    expect((await setup(second, { token: newToken, username: "admin", ha1: adminHa1() })).status).toBe(200);

    third = await second.restart();
    // The link, when there is one, is printed just after the listening line: give it time to appear.
    await Bun.sleep(300);
    expect(third.output()).toContain("listening on");
    expect(third.setupLink).toBeNull();
    expect(third.output()).not.toContain("setup.html");
  } finally {
    await third?.stop();
    await second?.stop();
    await first.stop();
    removeDataDir(first.dataDir);
  }
});

// A refused request changes nothing: a typo in the username must not burn the one link the operator has.
for (const [why, username] of [["an invalid username", "first admin"], ["a username already taken", "alice"]] as const) {
  test(`a set-up request refused for ${why} does not spend the token: the next, correct request succeeds`, async () => {
    const own = await startSigil();
    try {
      const ownP = await provision(own);
      const ownToken = tokenOf(own.setupLink);
      const refused = await setup(own, { token: ownToken, username, ha1: adminHa1(username) });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      const made = await setup(own, { token: ownToken, username: "admin", ha1: adminHa1() });
      expect({ status: made.status, body: made.body }).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
      expect(jwtPart((await tokensFor(own, ownP, "admin", ADMIN_PASSWORD)).id_token!, 1).role).toBe("admin");
    } finally {
      await own.stop();
      removeDataDir(own.dataDir);
    }
  });
}
