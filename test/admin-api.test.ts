// The admin API over HTTP with an admin token: create, read, update and delete every resource,
// input refused with 400 naming the field, and every change in the audit trail with who made it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addAdmin, adminCall, userToken, type AdminAnswer } from "./support/admin-api.ts";
import { AuditReader } from "./support/audit.ts";
import { ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { login, obtainTokens, startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";
import { accountToken, enrolTotp } from "./support/totp.ts";
import { makeSoftwareCredential, type RegistrationOptions } from "./support/webauthn.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;
let root: Provisioned;
let token: string;
let audit: AuditReader;
beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({ args: ["--smtp-url", smtp.url, "--smtp-from", "noreply@sigil.test"] });
  p = await provision(server);
  root = await addAdmin(server, p, "root");
  token = await userToken(server, root);
  audit = new AuditReader(server.dataDir);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const call = (method: string, path: string, body?: unknown) => adminCall(server, token, method, path, body);
const ok = (answer: AdminAnswer, status = 200) => {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
};
/** The admin.change line for `action` (and `match`), made by root through the API. */
const changeBy = (action: string, match: Record<string, unknown> = {}) =>
  audit.next((line) => line.event === "admin.change" && line.action === action && line.by === "admin" && line.admin === "root" && Object.entries(match).every(([k, v]) => JSON.stringify(line[k]) === JSON.stringify(v)));

describe("users", () => {
  test("create with an HA1 computed client-side; the user signs in with that password; the audit line holds no HA1", async () => {
    const digest = ha1("bob", "localhost", "bob-pw-123");
    const created = ok(await call("POST", "/users", { username: "bob", ha1: digest, email: "bob@example.org", name: "Bob", groups: ["ops"] }), 201);
    expect(created).toMatchObject({ username: "bob", email: "bob@example.org", email_verified: false, role: "user", groups: ["ops"], has_password: true, disabled: false });
    const bob = { ...p, username: "bob", password: "bob-pw-123" };
    expect((await obtainTokens(server, bob)).tokens.access_token).toBeString();
    const line = await changeBy("user.add", { username: "bob" });
    expect(line?.admin_sub).toBeString();
    expect(JSON.stringify(line)).not.toContain(digest);
  });

  test("a duplicate is 409 conflict naming username", async () => {
    const answer = await call("POST", "/users", { username: "bob" });
    expect({ status: answer.status, error: answer.body.error, field: answer.body.field }).toEqual({ status: 409, error: "conflict", field: "username" });
  });

  test("list is paged and filterable by username, email, role and disabled", async () => {
    const first = ok(await call("GET", "/users?limit=2"));
    expect({ names: first.items!.map((u) => u.username), total: first.total, next: first.next_offset }).toEqual({ names: ["alice", "bob"], total: 3, next: 2 });
    expect(ok(await call("GET", "/users?limit=2&offset=2")).items!.map((u) => u.username)).toEqual(["root"]);
    expect(ok(await call("GET", "/users?username=BO")).items!.map((u) => u.username)).toEqual(["bob"]);
    expect(ok(await call("GET", "/users?email=alice@")).items!.map((u) => u.username)).toEqual(["alice"]);
    expect(ok(await call("GET", "/users?role=admin")).items!.map((u) => u.username)).toEqual(["root"]);
    expect(ok(await call("GET", "/users?disabled=true")).items).toEqual([]);
  });

  test("edit name, email, email_verified, role and groups; a new email is unverified again", async () => {
    const edited = ok(await call("PATCH", "/users/bob", { name: "Robert", email: "rob@example.org", email_verified: true, groups: ["ops", "dev"], role: "guest" }));
    expect(edited).toMatchObject({ name: "Robert", email: "rob@example.org", email_verified: true, groups: ["ops", "dev"], role: "guest" });
    expect(await changeBy("user.update", { username: "bob", role: "guest", groups: ["ops", "dev"] })).toBeDefined();
    expect(ok(await call("PATCH", "/users/bob", { email: "bob@example.org" })).email_verified).toBe(false);
    expect(ok(await call("GET", "/users/bob"))).toMatchObject({ username: "bob", name: "Robert", totp: null, passkeys: 0, wallet_links: 0 });
  });

  test("disable ends sign-in and refresh tokens; enable lets the user in again", async () => {
    const bob = { ...p, username: "bob", password: "bob-pw-123" };
    ok(await call("POST", "/users/bob/disable"));
    expect(await changeBy("user.disable", { username: "bob" })).toBeDefined();
    const started = await startAuthorization(server, bob);
    expect((await login(server, bob, started.returnTo)).status).not.toBe(200);
    expect(ok(await call("GET", "/users?disabled=true")).items!.map((u) => u.username)).toEqual(["bob"]);
    ok(await call("POST", "/users/bob/enable"));
    expect(await changeBy("user.enable", { username: "bob" })).toBeDefined();
    expect((await obtainTokens(server, bob)).tokens.access_token).toBeString();
  });

  test("set and remove a password by HA1", async () => {
    ok(await call("PUT", "/users/bob/password", { ha1: ha1("bob", "localhost", "new-bob-pw") }), 204);
    expect((await obtainTokens(server, { ...p, username: "bob", password: "new-bob-pw" })).tokens.access_token).toBeString();
    ok(await call("PUT", "/users/bob/password", { ha1: null }), 204);
    expect(ok(await call("GET", "/users/bob")).has_password).toBe(false);
    expect(await changeBy("user.set-password", { username: "bob", no_password: true })).toBeDefined();
  });

  test("an invitation mails a link to the recovery page that lets the user choose a password", async () => {
    const created = ok(await call("POST", "/users", { username: "ivy", email: "ivy@example.org", invite: true }), 201);
    expect({ has_password: created.has_password, invitation: created.invitation }).toEqual({ has_password: false, invitation: "sent" });
    const mail = await smtp.next("ivy@example.org");
    const link = /(http:\/\/[^\s"<]+\/recover\.html#token=([A-Za-z0-9._-]+))/.exec(mail.text);
    expect(link?.[1]?.startsWith(`${server.origin()}/recover.html#token=`)).toBe(true);
    const finish = await server.fetch("/oauth2/v1/recover-finish", {
      method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ token: link![2], new_ha1: ha1("ivy", "localhost", "ivy-chosen-pw") }),
    });
    expect(finish.status).toBe(200);
    expect((await obtainTokens(server, { ...p, username: "ivy", password: "ivy-chosen-pw" })).tokens.access_token).toBeString();
    expect(await changeBy("user.invite", { username: "ivy" })).toBeDefined();
    expect((await call("POST", "/users", { username: "ivan", invite: true })).body.field).toBe("email");
  });

  test("reset the authenticator app", async () => {
    await enrolTotp(server, p, await accountToken(server, p));
    expect((ok(await call("GET", "/users/alice")).totp as { recovery_codes_left: number }).recovery_codes_left).toBeGreaterThan(0);
    expect(ok(await call("DELETE", "/users/alice/totp"))).toEqual({ had_totp: true });
    expect(ok(await call("GET", "/users/alice")).totp).toBeNull();
    expect(await changeBy("user.reset-totp", { username: "alice", had_totp: true })).toBeDefined();
  });

  test("list and remove a user's passkeys; another user's passkey cannot be removed through this user", async () => {
    const accessToken = await accountToken(server, p);
    const post = (path: string, body: unknown) => server.fetch(path, { method: "POST", headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const started = (await (await post("/account/v1/passkeys/registration", {})).json()) as { challenge_id: string; options: RegistrationOptions };
    const made = makeSoftwareCredential(started.options, server.origin());
    expect((await post("/account/v1/passkeys", { challenge_id: started.challenge_id, credential: JSON.stringify(made.response), label: "Key" })).status).toBe(201);
    const listed = ok(await call("GET", "/users/alice/passkeys")).items!;
    expect(listed.map((passkey) => passkey.label)).toEqual(["Key"]);
    const id = String(listed[0]!.credential_id);
    expect((await call("DELETE", `/users/root/passkeys/${id}`)).status).toBe(404);
    ok(await call("DELETE", `/users/alice/passkeys/${id}`), 204);
    expect(ok(await call("GET", "/users/alice/passkeys")).items).toEqual([]);
    expect(await changeBy("user.remove-passkey", { username: "alice", credential_id: id })).toBeDefined();
  });

  test("wallet links: listed (none here), and an unknown one is 404 naming it", async () => {
    expect(ok(await call("GET", "/users/alice/wallet-links")).items).toEqual([]);
    const answer = await call("DELETE", "/users/alice/wallet-links/nope");
    expect({ status: answer.status, field: answer.body.field }).toEqual({ status: 404, field: "id" });
  });

  test("the last enabled admin cannot be demoted, disabled or deleted through the API", async () => {
    for (const [method, path, body] of [["PATCH", "/users/root", { role: "user" }], ["POST", "/users/root/disable", undefined], ["DELETE", "/users/root", undefined]] as const) {
      expect((await call(method, path, body)).status).toBe(409);
    }
    expect(ok(await call("GET", "/users/root")).role).toBe("admin");
  });

  test("delete", async () => {
    ok(await call("DELETE", "/users/bob"), 204);
    expect((await call("GET", "/users/bob")).status).toBe(404);
    expect(await changeBy("user.remove", { username: "bob" })).toBeDefined();
  });
});

describe("invalid input is 400 naming the field", () => {
  test.each([
    ["POST", "/users", { username: "x", groups: "ops" }, "groups"],
    ["POST", "/users", { username: "x", groups: ["has space"] }, "groups"],
    ["POST", "/users", { username: "bad name" }, "username"],
    ["POST", "/users", { username: "x", ha1: "zz" }, "ha1"],
    ["POST", "/users", { username: "x", role: "root" }, "role"],
    ["POST", "/users", { username: "x", email: "not-an-address" }, "email"],
    ["POST", "/users", { username: "x", colour: "blue" }, "colour"],
    ["POST", "/users", { name: "no username" }, "username"],
    ["PATCH", "/users/alice", { email_verified: "yes" }, "email_verified"],
    ["POST", "/clients", { client_id: "c1", redirect_uris: ["not a uri"] }, "redirect_uris"],
    ["POST", "/clients", { client_id: "c1", redirect_uris: ["https://c1.example/cb"], grant_types: ["password"] }, "grant_types"],
    ["POST", "/clients", { client_id: "c1", type: "confidential", grant_types: ["client_credentials"], scopes: ["openid"] }, "scopes"],
    ["POST", "/clients", { client_id: "c1", redirect_uris: ["https://c1.example/cb"], refresh_token_ttl: 5 }, "refresh_token_ttl"],
    ["PATCH", "/tenant", { display_name: 42 }, "display_name"],
    ["PATCH", "/verifier", { client_id_prefix: "did" }, "client_id_prefix"],
    ["PATCH", "/verifier", { dcql_query: { credentials: [] } }, "dcql_query"],
    ["PATCH", "/tenant/mail", { smtp_url: "http://mail.example" }, "smtp_url"],
    ["POST", "/trust-anchors", { pem: "not a certificate" }, "pem"],
  ] as const)("%s %s %j → %s", async (method, path, body, field) => {
    const answer = await call(method, path, body);
    expect({ status: answer.status, error: answer.body.error, field: answer.body.field }).toEqual({ status: 400, error: "invalid_input", field });
    expect(String(answer.body.message).length).toBeGreaterThan(0);
  });

  test("query parameters: a bad limit or role names itself", async () => {
    expect((await call("GET", "/users?limit=0")).body.field).toBe("limit");
    expect((await call("GET", "/users?role=root")).body.field).toBe("role");
    expect((await call("GET", "/audit?from=yesterday")).body.field).toBe("from");
  });

  test("a body that is not JSON, or not an object", async () => {
    const raw = await server.fetch("/admin/api/v1/users", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{" });
    expect({ status: raw.status, body: await raw.json() }).toMatchObject({ status: 400, body: { error: "invalid_input", field: "body" } });
    expect((await call("POST", "/users", ["bob"])).body.field).toBe("body");
  });

  test("unknown paths are 404 and wrong methods 405, in the admin shape", async () => {
    expect(await call("GET", "/nothing")).toMatchObject({ status: 404, body: { error: "not_found" } });
    const wrong = await call("PUT", "/users");
    expect({ status: wrong.status, error: wrong.body.error, allow: wrong.headers.get("allow") }).toEqual({ status: 405, error: "method_not_allowed", allow: "GET, POST" });
  });
});
