// The admin API's clients, keys, tenant, verifier, trust anchors and audit trail over HTTP; a
// client and a group made through the API work at an independent relying party (openid-client).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as client from "openid-client";
import { addAdmin, adminCall, machineToken, userToken, type AdminAnswer } from "./support/admin-api.ts";
import { AuditReader } from "./support/audit.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { decodeJwtPart } from "./support/negative.ts";
import { buildAuthorization, discoverRelyingParty, signInForCallback } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { createTestCa } from "./support/wallet/test-pki.ts";

let server: SigilServer;
let p: Provisioned;
let token: string;
let audit: AuditReader;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  token = await userToken(server, await addAdmin(server, p, "root"));
  audit = new AuditReader(server.dataDir);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const call = (method: string, path: string, body?: unknown) => adminCall(server, token, method, path, body);
const ok = (answer: AdminAnswer, status = 200) => {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
};
const changeBy = (action: string, match: Record<string, unknown> = {}) =>
  audit.next((line) => line.event === "admin.change" && line.action === action && line.admin === "root" && Object.entries(match).every(([k, v]) => JSON.stringify(line[k]) === JSON.stringify(v)));

describe("clients", () => {
  let secret: string;
  test("register a confidential client: the secret is shown once, never in reads or the audit trail", async () => {
    const created = ok(await call("POST", "/clients", {
      client_id: "shop", type: "confidential", redirect_uris: ["https://shop.example/cb"], post_logout_redirect_uris: ["https://shop.example/bye"], refresh_token_ttl: 3600,
    }), 201);
    secret = String(created.client_secret);
    expect(secret.length).toBeGreaterThan(30);
    expect(created).toMatchObject({ client_id: "shop", type: "confidential", grant_types: ["authorization_code", "refresh_token"], refresh_token_ttl: 3600 });
    expect(ok(await call("GET", "/clients/shop")).client_secret).toBeUndefined();
    const line = await changeBy("client.add", { client_id: "shop" });
    expect(JSON.stringify(line)).not.toContain(secret);
  });

  test("list, filtered and paged", async () => {
    expect(ok(await call("GET", "/clients")).items!.map((c) => c.client_id)).toEqual(["rp", "shop", "spa"]);
    expect(ok(await call("GET", "/clients?type=public")).items!.map((c) => c.client_id)).toEqual(["spa"]);
    const first = ok(await call("GET", "/clients?limit=1&client_id=s"));
    expect({ ids: first.items!.map((c) => c.client_id), total: first.total, next: first.next_offset }).toEqual({ ids: ["shop"], total: 2, next: 1 });
  });

  test("update URIs; rotate the secret (the old one stops working at once)", async () => {
    expect(ok(await call("PATCH", "/clients/shop", { redirect_uris: ["https://shop.example/cb2"] })).redirect_uris).toEqual(["https://shop.example/cb2"]);
    const rotated = String(ok(await call("POST", "/clients/shop/secret")).client_secret);
    const introspect = (secretToUse: string) => server.fetch("/oauth2/v1/introspect", {
      method: "POST", headers: { authorization: `Basic ${btoa(`shop:${secretToUse}`)}`, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: "x" }),
    });
    expect((await introspect(secret)).status).toBe(401);
    expect((await introspect(rotated)).status).toBe(200);
    expect(await changeBy("client.rotate-secret", { client_id: "shop" })).toBeDefined();
    expect((await call("POST", "/clients/spa/secret")).status).toBe(409);
  });

  test("the built-in clients cannot be registered", async () => {
    for (const id of ["sigil-admin", "sigil-account"]) expect((await call("POST", "/clients", { client_id: id, redirect_uris: ["https://x.example/cb"] })).status).toBe(409);
  });

  test("a machine client made through the API gets an admin token", async () => {
    const created = ok(await call("POST", "/clients", { client_id: "bot", type: "confidential", grant_types: ["client_credentials"], scopes: ["sigil:admin"] }), 201);
    const botToken = await machineToken(server, "localhost", "bot", String(created.client_secret));
    expect((await adminCall(server, botToken, "PATCH", "/tenant", { display_name: "Bot was here" })).status).toBe(200);
    const line = await audit.next((l) => l.event === "admin.change" && l.action === "tenant.update" && l.by === "client" && l.admin_client_id === "bot");
    expect(line).toBeDefined();
  });

  test("the client's own DCQL query: set, read, cleared", async () => {
    const query = { credentials: [{ id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["given_name"] }, { path: ["family_name"] }, { path: ["birthdate"] }] }] };
    expect(ok(await call("PUT", "/clients/shop/dcql", { dcql_query: query })).dcql_query).toEqual(query);
    expect(ok(await call("GET", "/clients/shop/dcql")).dcql_query).toEqual(query);
    expect(await changeBy("verifier.set-client-dcql", { client_id: "shop", custom_dcql: true })).toBeDefined();
    expect(ok(await call("PUT", "/clients/shop/dcql", { dcql_query: null })).dcql_query).toBeNull();
    expect(ok(await call("GET", "/clients/shop/dcql")).dcql_query).toBeNull();
  });

  test("delete", async () => {
    ok(await call("DELETE", "/clients/shop"), 204);
    expect((await call("GET", "/clients/shop")).status).toBe(404);
    expect(await changeBy("client.remove", { client_id: "shop" })).toBeDefined();
  });
});

test("a client and a group made through the API: a user signs in at openid-client and the id_token carries the group", async () => {
  const redirectUri = "https://app.example/cb";
  const created = ok(await call("POST", "/clients", { client_id: "app", type: "confidential", redirect_uris: [redirectUri] }), 201);
  ok(await call("PATCH", "/users/alice", { groups: ["auditors"] }));
  const party: Provisioned = { ...p, clientId: "app", clientSecret: String(created.client_secret), redirectUri };
  const rp = await discoverRelyingParty(server, party, "confidential");
  const pending = await buildAuthorization(rp, party);
  const callback = await signInForCallback(rp, party, pending.url);
  const tokens = await client.authorizationCodeGrant(rp.config, callback, { expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier });
  const idToken = decodeJwtPart(tokens.id_token!, 1);
  expect({ aud: idToken.aud, groups: idToken.groups }).toEqual({ aud: "app", groups: ["auditors", "user"] });
});

describe("signing keys", () => {
  test("list shows public halves only; rotate makes a new active key and keeps the old one published", async () => {
    const before = ok(await call("GET", "/keys")).items!;
    expect(JSON.stringify(before)).not.toMatch(/"d":|sealed/);
    const { kid } = ok(await call("POST", "/keys/rotate"), 201);
    const after = ok(await call("GET", "/keys")).items!;
    expect(after.find((key) => key.status === "active")?.kid).toBe(kid as string);
    expect(ok(await call("GET", "/keys?status=previous")).items!.map((key) => key.kid)).toEqual([before.find((key) => key.status === "active")!.kid]);
    const jwks = (await (await server.fetch("/.well-known/jwks.json")).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toContain(kid as string);
    expect(await changeBy("keys.rotate", { kid })).toBeDefined();
  });
});

describe("tenant settings", () => {
  test("display name and origin change; the realm is fixed once the tenant has users", async () => {
    const edited = ok(await call("PATCH", "/tenant", { display_name: "Localhost Inc", origin: `http://localhost:${server.port}` }));
    expect(edited).toMatchObject({ host: "localhost", display_name: "Localhost Inc", realm_locked: true });
    const realm = await call("PATCH", "/tenant", { realm: "other" });
    expect({ status: realm.status, error: realm.body.error, field: realm.body.field }).toEqual({ status: 409, error: "conflict", field: "realm" });
    expect(ok(await call("GET", "/tenant")).realm).toBe("localhost");
  });

  test("on a tenant with no users yet the realm can change (through a machine client: no user exists to sign in)", async () => {
    await server.cliOk(["tenant", "add", "empty.localhost"]);
    const out = await server.cliOk(["client", "add", "empty.localhost", "bot", "--confidential", "--grant", "client_credentials", "--scope", "sigil:admin"]);
    const bot = await machineToken(server, "empty.localhost", "bot", /^secret: (\S+)$/m.exec(out)![1]!);
    const answer = await adminCall(server, bot, "PATCH", "/tenant", { realm: "Empty Realm".replace(" ", "-") }, "empty.localhost");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ realm: "Empty-Realm", realm_locked: false });
  });

  test("mail: an SMTP URL is sealed, never echoed or audited", async () => {
    const mail = ok(await call("PATCH", "/tenant/mail", { smtp_url: "smtp://user:hunter2@mail.example:587", from: "it@example.org", email_methods: "off" }));
    expect(mail).toEqual({ smtp: "own", from: "it@example.org", email_methods: "off" });
    const line = await changeBy("tenant.mail");
    expect(JSON.stringify(line)).not.toContain("hunter2");
    expect(ok(await call("PATCH", "/tenant/mail", { smtp_url: null, email_methods: "auto" }))).toMatchObject({ smtp: "none", email_methods: "auto" });
  });
});

describe("verifier and trust anchors", () => {
  test("verifier settings: read and change", async () => {
    expect(ok(await call("GET", "/verifier"))).toMatchObject({ client_id_prefix: "x509_hash", wallet_scheme: "openid4vp", dcql_query: null, wallet_signup: true });
    expect(ok(await call("PATCH", "/verifier", { client_id_prefix: "x509_san_dns", wallet_signup: false }))).toMatchObject({ client_id_prefix: "x509_san_dns", wallet_signup: false });
    expect(await changeBy("verifier.set", { client_id_prefix: "x509_san_dns", wallet_signup: false })).toBeDefined();
  });

  test("trust anchors: add, list, remove", async () => {
    const ca = await createTestCa("CN=Admin Test CA, O=Sigil tests");
    const added = ok(await call("POST", "/trust-anchors", { pem: ca.pem }), 201).items!;
    expect(added).toHaveLength(1);
    const fingerprint = String(added[0]!.fingerprint);
    expect(ok(await call("GET", "/trust-anchors?subject=admin test")).items!.map((anchor) => anchor.fingerprint)).toEqual([fingerprint]);
    expect(ok(await call("POST", "/trust-anchors", { pem: ca.pem })).items![0]!.added).toBe(false);
    ok(await call("DELETE", `/trust-anchors/${fingerprint}`), 204);
    expect(ok(await call("GET", "/trust-anchors")).items).toEqual([]);
    expect(await changeBy("trust.remove", { fingerprint })).toBeDefined();
  });
});

describe("audit trail", () => {
  test("newest first, paged, and filtered by event, user, client and time", async () => {
    const page = ok(await call("GET", "/audit?limit=3"));
    const times = page.items!.map((entry) => String(entry.time));
    expect(times).toEqual([...times].sort().reverse());
    expect(page.next_offset).toBe(3);
    const next = ok(await call("GET", "/audit?limit=3&offset=3")).items!;
    expect(next[0]).not.toEqual(page.items![2]);
    const changes = ok(await call("GET", "/audit?event=admin.change&limit=200")).items!;
    expect(changes.length).toBeGreaterThan(5);
    expect(changes.every((entry) => entry.event === "admin.change")).toBe(true);
    const byClient = ok(await call("GET", "/audit?client=bot&event=admin.change")).items!;
    expect(byClient.map((entry) => entry.action)).toContain("tenant.update");
    const aliceSub = String(ok(await call("GET", "/users/alice")).sub);
    const aboutAlice = ok(await call("GET", `/audit?user=${aliceSub}&limit=200`)).items!;
    expect(aboutAlice.length).toBeGreaterThan(0);
    expect(aboutAlice.every((entry) => entry.sub === aliceSub || entry.username === aliceSub || entry.admin_sub === aliceSub)).toBe(true);
    expect(ok(await call("GET", `/audit?from=${new Date(Date.now() + 3600_000).toISOString()}`)).items).toEqual([]);
    expect(ok(await call("GET", "/audit?to=2000-01-01")).items).toEqual([]);
  });
});
