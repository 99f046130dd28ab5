// Every store behaviour on every backend: SQLite on both drivers (Bun runs bun:sqlite, Deno
// node:sqlite, and a data directory moves between them) and PostgreSQL (a real server, started by
// test/support/postgres.ts). "Another process" is a second store opened on the same data.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres, type PostgresCluster } from "../../test/support/postgres.ts";
import { DEFAULT_TENANT_MAIL, type AuthorizationCodeRecord, type Client, type Store, type Tenant } from "./ports.ts";
import { openPostgresStore } from "./postgres/index.ts";
import { openSqliteStore } from "./sqlite/index.ts";

interface Backend {
  /** A fresh, empty store location; `open` opens another store (another process) on it. */
  fresh(): Promise<{ open(): Store; remove(): void }>;
  /** Whether another store's writes reach this one's caches through the server (LISTEN), a moment later. */
  notices: "at-once" | "eventually";
}

const sqliteBackend = (driver: "bun:sqlite" | "node:sqlite"): Backend => ({
  notices: "at-once",
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "sigil-store-"));
    return { open: () => openSqliteStore(dir, driver), remove: () => rmSync(dir, { recursive: true, force: true }) };
  },
});

let cluster: PostgresCluster | null = null;
let databases = 0;
const postgresBackend: Backend = {
  notices: "eventually",
  async fresh() {
    cluster ??= await startPostgres();
    const url = await cluster.createDatabase(`contract_${++databases}`);
    return { open: () => openPostgresStore(url, { follow: true, maxConnections: 4 }), remove: () => undefined };
  },
};
afterAll(async () => {
  await cluster?.stop();
});

/** Polls until `probe` holds (at once for SQLite; a notice takes a moment to arrive from PostgreSQL). */
async function eventually(probe: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const now = 1_700_000_000;
const tenant = (host: string): Tenant => ({ host, realm: host, createdAt: now, mail: DEFAULT_TENANT_MAIL, origin: null, displayName: null, disabledMethods: [] });

describe.each([
  ["bun:sqlite", sqliteBackend("bun:sqlite")],
  ["node:sqlite", sqliteBackend("node:sqlite")],
  ["postgres", postgresBackend],
] as const)("%s", (_name, backend) => {
  let location: Awaited<ReturnType<Backend["fresh"]>>;
  let store: Store;
  const others: Store[] = [];
  const other = () => {
    const opened = location.open();
    others.push(opened);
    return opened;
  };

  beforeAll(async () => {
    // The first PostgreSQL test would otherwise pay for starting the server inside its timeout.
    await backend.fresh().then((first) => first.remove());
  });
  beforeEach(async () => {
    location = await backend.fresh();
    store = location.open();
    await store.tenants.add(tenant("acme.localhost"));
  });
  afterEach(() => {
    for (const opened of others.splice(0)) opened.close();
    store.close();
    location.remove();
  });

  const code = (overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord => ({
    tenant: "acme.localhost", codeHash: "h1", grantId: "g1", clientId: "rp", redirectUri: "https://rp/cb", codeChallenge: null, nonce: null,
    sub: "u1", scope: "openid", authTime: now, amr: ["pwd"], acr: "a", claims: { given_name: "Ada" }, expiresAt: now + 60, ...overrides,
  });
  const refresh = { tenant: "acme.localhost", tokenHash: "r1", grantId: "g1", clientId: "rp", sub: "u1", scope: "openid", authTime: now, amr: ["pwd"], acr: "a", claims: {}, expiresAt: now + 3600 };

  test("a code is consumed once; the second consumption reports reuse with the grant to revoke", async () => {
    await store.codes.save(code(), now);
    const first = await store.codes.consume("acme.localhost", "h1");
    const second = await store.codes.consume("acme.localhost", "h1");
    expect(first.status).toBe("ok");
    expect(first.status === "ok" && first.record).toMatchObject({ grantId: "g1", sub: "u1", amr: ["pwd"], claims: { given_name: "Ada" }, expiresAt: now + 60 });
    expect(second.status).toBe("reused");
    expect(second.status === "reused" && second.record.grantId).toBe("g1");
    expect((await store.codes.consume("acme.localhost", "nope")).status).toBe("missing");
    expect((await store.codes.consume("other.localhost", "h1")).status).toBe("missing");
  });

  test("a code redeemed at the same moment by two processes is redeemed by exactly one", async () => {
    const second = other();
    for (let round = 0; round < 10; round++) {
      await store.codes.save(code({ codeHash: `c${round}`, grantId: `g${round}` }), now);
      const outcomes = await Promise.all([store.codes.consume("acme.localhost", `c${round}`), second.codes.consume("acme.localhost", `c${round}`)]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["ok", "reused"]);
    }
  });

  test("revoking a grant kills its refresh tokens and access tokens, and refuses new refresh tokens", async () => {
    await store.codes.save(code(), now);
    expect(await store.grants.issueRefreshToken(refresh)).toBe(true);
    expect(await store.grants.isAccessTokenRevoked("acme.localhost", "jti1", "g1")).toBe(false);
    expect(await store.grants.isGrantRevoked("acme.localhost", "g1")).toBe(false);
    await store.grants.revokeGrant("acme.localhost", "g1", now);
    expect(await store.grants.isGrantRevoked("acme.localhost", "g1")).toBe(true);
    expect(await store.grants.isAccessTokenRevoked("acme.localhost", "jti1", "g1")).toBe(true);
    expect(await store.grants.issueRefreshToken({ ...refresh, tokenHash: "r2" })).toBe(false);
    expect(await store.grants.grantClaims("acme.localhost", "g1")).toEqual({ given_name: "Ada" });
    await store.grants.revokeAccessToken("acme.localhost", "jti9", now + 60);
    expect(await store.grants.isAccessTokenRevoked("acme.localhost", "jti9", "another-grant")).toBe(true);
  });

  test("a refresh token is spent once, also when two processes present it at once", async () => {
    await store.codes.save(code(), now);
    await store.grants.issueRefreshToken(refresh);
    const second = other();
    const outcomes = await Promise.all([store.grants.consumeRefreshToken("acme.localhost", "r1"), second.grants.consumeRefreshToken("acme.localhost", "r1")]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["ok", "reused"]);
    expect((await store.grants.consumeRefreshToken("acme.localhost", "r1")).status).toBe("reused");
    expect((await store.grants.findRefreshToken("acme.localhost", "r1"))?.used).toBe(true);
  });

  test("a JWT ID is claimed once", async () => {
    expect(await store.jti.claimOnce("acme.localhost", "j", now + 60)).toBe(true);
    expect(await store.jti.claimOnce("acme.localhost", "j", now + 60)).toBe(false);
  });

  test("sweeping removes expired rows but remembers revoked grants long enough", async () => {
    await store.codes.save(code({ expiresAt: now - 10_000 }), now - 10_100);
    await store.grants.revokeGrant("acme.localhost", "g1", now);
    const removed = await store.sweep(now);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect((await store.codes.consume("acme.localhost", "h1")).status).toBe("missing");
    expect(await store.grants.isAccessTokenRevoked("acme.localhost", "any", "g1")).toBe(true);
  });

  test("a store reopened on the same data keeps what was committed", async () => {
    await store.users.add({ tenant: "acme.localhost", sub: "s", username: "u", sealedHa1: null, role: "user", email: null, emailVerified: false, name: null, groups: [], disabled: false, createdAt: now, updatedAt: now, sessionEpoch: 0 });
    store.close();
    store = location.open();
    expect((await store.users.findByUsername("acme.localhost", "u"))?.sub).toBe("s");
    expect(await store.readiness()).toBeNull();
  });

  test("cached clients and tenants follow changes made by another process (a CLI command, another node)", async () => {
    const client: Client = { tenant: "acme.localhost", clientId: "rp", secretHash: null, redirectUris: ["https://rp/cb"], postLogoutRedirectUris: [], refreshTokenTtl: null, grantTypes: ["authorization_code"], scopes: [], createdAt: now };
    await store.clients.add(client);
    expect((await store.clients.get("acme.localhost", "rp"))?.redirectUris).toEqual(["https://rp/cb"]);
    expect((await store.tenants.get("acme.localhost"))?.displayName).toBeNull();
    const second = other();
    await second.clients.remove("acme.localhost", "rp");
    await second.clients.add({ ...client, redirectUris: ["https://rp/other"] });
    await second.tenants.add(tenant("contoso.localhost"));
    await second.tenants.setDisplayName("acme.localhost", "Acme");
    const follows = async () => (await store.clients.get("acme.localhost", "rp"))?.redirectUris[0] === "https://rp/other"
      && (await store.tenants.get("acme.localhost"))?.displayName === "Acme";
    expect(await (backend.notices === "at-once" ? follows() : eventually(follows))).toBe(true);
    expect((await store.tenants.get("contoso.localhost"))?.realm).toBe("contoso.localhost");
  });

  test("a key installed by another process changes the marker every process watches, and is the one active key", async () => {
    const key = (kid: string) => ({ tenant: "acme.localhost", kid, alg: "RS256" as const, status: "active" as const, publicJwk: { kty: "RSA", kid }, sealedPrivateKey: `sealed-${kid}`, createdAt: now });
    await store.signingKeys.installActive(key("k1"));
    const before = store.signingKeys.externalChangeMarker();
    const second = other();
    // Two processes rotating at once take turns: one active key, the other published as previous.
    await Promise.all([second.signingKeys.installActive(key("k2")), store.signingKeys.installActive(key("k3"))]);
    expect(await eventually(async () => store.signingKeys.externalChangeMarker() !== before)).toBe(true);
    const published = await store.signingKeys.listPublished("acme.localhost");
    expect(published.map((record) => record.status)).toEqual(["active", "previous"]);
    expect((await store.signingKeys.listAll("acme.localhost")).map((record) => record.status).sort()).toEqual(["active", "previous", "retired"]);
  });

  test("a throttle counts failures in one statement, forgets an idle count, and clears on success", async () => {
    const forgetAfter = 3600;
    expect(await store.throttles.get("acme.localhost", "2fa:u1", now)).toBeNull();
    const second = other();
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? second : store).throttles.recordFailure("acme.localhost", "2fa:u1", now, forgetAfter)));
    expect(await store.throttles.get("acme.localhost", "2fa:u1", now + 10)).toEqual({ failures: 6, lastFailureAt: now });
    // Another tenant's key of the same name is another count.
    expect(await store.throttles.get("contoso.localhost", "2fa:u1", now)).toBeNull();
    // Idle past forgetAfter: gone, and the next failure starts again at 1.
    expect(await store.throttles.get("acme.localhost", "2fa:u1", now + forgetAfter)).toBeNull();
    expect((await store.throttles.recordFailure("acme.localhost", "2fa:u1", now + forgetAfter, forgetAfter)).failures).toBe(1);
    await store.throttles.clear("acme.localhost", "2fa:u1");
    expect(await store.throttles.get("acme.localhost", "2fa:u1", now + forgetAfter)).toBeNull();
  });

  test("attempts count per limit and key across processes, within their window only", async () => {
    const second = other();
    await Promise.all([store, second, store].map((s) => s.attempts.record("login-failure", "203.0.113.7", now, 60)));
    await second.attempts.record("login-failure", "203.0.113.7", now + 30, 60);
    expect(await store.attempts.recent("login-failure", "203.0.113.7", now + 30, 60, 10)).toEqual([{ at: now + 30, n: 1 }, { at: now, n: 3 }]);
    // At most `limit` seconds of them, newest first.
    expect(await store.attempts.recent("login-failure", "203.0.113.7", now + 30, 60, 1)).toEqual([{ at: now + 30, n: 1 }]);
    // Another key, another limit: counted apart.
    expect(await store.attempts.recent("login-failure", "203.0.113.8", now, 60, 10)).toEqual([]);
    expect(await store.attempts.recent("mail-ip", "203.0.113.7", now, 60, 10)).toEqual([]);
    // Out of the window: no longer seen, and swept.
    expect(await store.attempts.recent("login-failure", "203.0.113.7", now + 60, 60, 10)).toEqual([{ at: now + 30, n: 1 }]);
    await store.sweep(now + 90);
    expect(await second.attempts.recent("login-failure", "203.0.113.7", now + 30, 60, 10)).toEqual([]);
  });

  test("a pending login is destroyed at its failure limit and consumed once", async () => {
    await store.users.add({ tenant: "acme.localhost", sub: "u1", username: "ada", sealedHa1: null, role: "user", email: null, emailVerified: false, name: null, groups: [], disabled: false, createdAt: now, updatedAt: now, sessionEpoch: 0 });
    const pending = { tenant: "acme.localhost", sub: "u1", returnTo: "/authorize?x", expiresAt: now + 300, firstFactor: "pwd" as const, deviceKey: null };
    await store.pendingLogins.create({ ...pending, idHash: "p1" });
    expect(await store.pendingLogins.recordFailure("acme.localhost", "p1", 3)).toBe(2);
    expect(await store.pendingLogins.recordFailure("acme.localhost", "p1", 3)).toBe(1);
    expect(await store.pendingLogins.recordFailure("acme.localhost", "p1", 3)).toBe(0);
    expect(await store.pendingLogins.find("acme.localhost", "p1", now)).toBeNull();
    await store.pendingLogins.create({ ...pending, idHash: "p2" });
    const second = other();
    expect((await Promise.all([store.pendingLogins.consume("acme.localhost", "p2", now), second.pendingLogins.consume("acme.localhost", "p2", now)])).sort()).toEqual([false, true]);
  });

  test("a wallet transaction nobody fetched is swept at its TTL; one that was answered is kept an hour for the relying party", async () => {
    const transaction = (id: string, expiresAt: number) => ({
      tenant: "acme.localhost", id, purpose: "api" as const, clientId: "rp", sub: null, returnTo: null, pageSecretHash: null, transactionJson: "{}",
      sealedResponseKey: "sealed", status: "pending" as const, resultJson: null, error: null, responseCodeHash: null, expiresAt,
      flow: "cross_device" as const, deviceConfirmed: false, failedCheck: null,
    });
    await store.walletTransactions.create(transaction("never-fetched", now - 1));
    await store.walletTransactions.create(transaction("answered", now - 1));
    await store.walletTransactions.markRetrieved("acme.localhost", "answered");
    await store.walletTransactions.create(transaction("live", now + 300));
    expect(await store.walletTransactions.countLive("acme.localhost", now)).toBe(1);
    // Taken for one response exactly once, whichever process the wallet reaches.
    const second = other();
    expect((await Promise.all([store.walletTransactions.claimForResponse("acme.localhost", "live", now), second.walletTransactions.claimForResponse("acme.localhost", "live", now)])).sort()).toEqual([false, true]);
    await store.sweep(now);
    expect(await store.walletTransactions.get("acme.localhost", "never-fetched")).toBeNull();
    expect((await store.walletTransactions.get("acme.localhost", "answered"))?.status).toBe("retrieved");
    expect((await store.walletTransactions.get("acme.localhost", "live"))?.status).toBe("verifying");
    await store.sweep(now + 3601);
    expect(await store.walletTransactions.get("acme.localhost", "answered")).toBeNull();
  });
});
