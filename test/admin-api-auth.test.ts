// Who may use the admin API: only an enabled admin's token issued to the admin console, or a
// client_credentials token carrying sigil:admin of a client that still has it. Every refusal is
// JSON with a stable code; the checks run on every request, so a change takes effect at once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addAdmin, adminCall, machineToken, userToken } from "./support/admin-api.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { obtainTokens } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let admin: Provisioned;
let adminToken: string;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  admin = await addAdmin(server, p, "root");
  adminToken = await userToken(server, admin);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const listUsers = (token: string | null, host = "localhost") => adminCall(server, token, "GET", "/users", undefined, host);

test("an admin's token for the admin console lists the tenant's users", async () => {
  const answer = await listUsers(adminToken);
  expect(answer.status).toBe(200);
  expect(answer.body.items!.map((user) => user.username)).toEqual(["alice", "root"]);
});

describe("refused", () => {
  test("no token: 401 unauthenticated with the Bearer challenge", async () => {
    const answer = await listUsers(null);
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 401, error: "unauthenticated" });
    expect(answer.headers.get("www-authenticate")).toContain("Bearer");
    expect(typeof answer.body.message).toBe("string");
  });

  test("a garbage token: 401", async () => {
    expect((await listUsers("not.a.token")).status).toBe(401);
  });

  test("a user-role token for the admin console: 403 forbidden", async () => {
    const answer = await listUsers(await userToken(server, p));
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 403, error: "forbidden" });
  });

  test("an admin's token issued to an ordinary relying party, or to the account page, is not an admin token (token confusion)", async () => {
    const { tokens } = await obtainTokens(server, admin);
    const asRp = await listUsers(tokens.access_token);
    expect({ status: asRp.status, error: asRp.body.error }).toEqual({ status: 403, error: "forbidden" });
    const asAccountPage = await listUsers(await userToken(server, admin, "sigil-account", "/account.html"));
    expect({ status: asAccountPage.status, error: asAccountPage.body.error }).toEqual({ status: 403, error: "forbidden" });
  });

  test("another tenant's admin token: 401", async () => {
    const other = await provision(server, "contoso.localhost");
    const otherAdmin = await addAdmin(server, other, "croot");
    const token = await userToken(server, otherAdmin);
    expect((await listUsers(token, "contoso.localhost")).status).toBe(200);
    const answer = await listUsers(token);
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 401, error: "unauthenticated" });
  });

  test("a revoked admin token: 401", async () => {
    const token = await userToken(server, admin);
    expect((await listUsers(token)).status).toBe(200);
    const revoked = await server.fetch("/oauth2/v1/revoke", {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token, client_id: "sigil-admin" }),
    });
    expect(revoked.status).toBe(200);
    expect((await listUsers(token)).status).toBe(401);
  });

  test("a demoted admin loses access at once, with the same token; a disabled one too", async () => {
    await addAdmin(server, p, "temp");
    const temp = { ...admin, username: "temp", password: "temp-admin-pw" };
    const token = await userToken(server, temp);
    expect((await listUsers(token)).status).toBe(200);
    expect((await adminCall(server, adminToken, "PATCH", "/users/temp", { role: "user" })).status).toBe(200);
    expect((await listUsers(token)).status).toBe(403);
    expect((await adminCall(server, adminToken, "PATCH", "/users/temp", { role: "admin" })).status).toBe(200);
    expect((await listUsers(token)).status).toBe(200);
    expect((await adminCall(server, adminToken, "POST", "/users/temp/disable")).status).toBe(200);
    expect((await listUsers(token)).status).toBe(401);
  });
});

describe("machine clients (client_credentials)", () => {
  let secret: string;
  beforeAll(async () => {
    const out = await server.cliOk(["client", "add", "localhost", "ops-bot", "--confidential", "--grant", "client_credentials", "--scope", "sigil:admin", "--scope", "reports:read"]);
    secret = /^secret: (\S+)$/m.exec(out)![1]!;
  });

  test("a token with sigil:admin is an admin principal", async () => {
    expect((await listUsers(await machineToken(server, "localhost", "ops-bot", secret))).status).toBe(200);
  });

  test("a token of the same client narrowed to other scopes is 403 insufficient_scope", async () => {
    const answer = await listUsers(await machineToken(server, "localhost", "ops-bot", secret, "reports:read"));
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 403, error: "insufficient_scope" });
    expect(answer.headers.get("www-authenticate")).toContain("insufficient_scope");
  });

  test("a client without sigil:admin is refused", async () => {
    const out = await server.cliOk(["client", "add", "localhost", "reporter", "--confidential", "--grant", "client_credentials", "--scope", "reports:read"]);
    const answer = await listUsers(await machineToken(server, "localhost", "reporter", /^secret: (\S+)$/m.exec(out)![1]!));
    expect(answer.status).toBe(403);
  });

  test("once sigil:admin is taken from the client, its earlier token stops working", async () => {
    const token = await machineToken(server, "localhost", "ops-bot", secret);
    expect((await adminCall(server, adminToken, "PATCH", "/clients/ops-bot", { scopes: ["reports:read"] })).status).toBe(200);
    const answer = await listUsers(token);
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status: 403, error: "insufficient_scope" });
    expect((await adminCall(server, adminToken, "PATCH", "/clients/ops-bot", { scopes: ["sigil:admin"] })).status).toBe(200);
    expect((await listUsers(token)).status).toBe(200);
  });
});

// An expired token is refused by requireAdmin itself: src/admin/admin-session.test.ts (the server's shortest TTL is a minute).
