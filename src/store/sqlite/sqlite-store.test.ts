import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_TENANT_MAIL, type AuthorizationCodeRecord, type Store } from "../ports.ts";
import { openSqliteStore } from "./index.ts";

let dir: string;
let store: Store;
const now = 1_700_000_000;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-store-"));
  store = openSqliteStore(dir);
  await store.tenants.add({ host: "acme.localhost", realm: "acme.localhost", createdAt: now, mail: DEFAULT_TENANT_MAIL, origin: null });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = (overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord => ({
  tenant: "acme.localhost", codeHash: "h1", grantId: "g1", clientId: "rp", redirectUri: "https://rp/cb", codeChallenge: null, nonce: null,
  sub: "u1", scope: "openid", authTime: now, amr: ["pwd"], acr: "a", claims: { given_name: "Ada" }, expiresAt: now + 60, ...overrides,
});

test("a code is consumed once; the second consumption reports reuse with the grant to revoke", async () => {
  await store.codes.save(code(), now);
  const first = await store.codes.consume("acme.localhost", "h1");
  const second = await store.codes.consume("acme.localhost", "h1");
  expect(first.status).toBe("ok");
  expect(second.status).toBe("reused");
  expect(second.status === "reused" && second.record.grantId).toBe("g1");
  expect((await store.codes.consume("acme.localhost", "nope")).status).toBe("missing");
  expect((await store.codes.consume("other.localhost", "h1")).status).toBe("missing");
});

test("revoking a grant kills its refresh tokens and access tokens, and refuses new refresh tokens", async () => {
  await store.codes.save(code(), now);
  const refresh = { tenant: "acme.localhost", tokenHash: "r1", grantId: "g1", clientId: "rp", sub: "u1", scope: "openid", authTime: now, amr: ["pwd"], acr: "a", claims: {}, expiresAt: now + 3600 };
  expect(await store.grants.issueRefreshToken(refresh)).toBe(true);
  expect(await store.grants.isAccessTokenRevoked("acme.localhost", "jti1", "g1")).toBe(false);
  await store.grants.revokeGrant("acme.localhost", "g1", now);
  expect(await store.grants.isAccessTokenRevoked("acme.localhost", "jti1", "g1")).toBe(true);
  expect(await store.grants.issueRefreshToken({ ...refresh, tokenHash: "r2" })).toBe(false);
  expect(await store.grants.grantClaims("acme.localhost", "g1")).toEqual({ given_name: "Ada" });
});

test("a refresh token is spent once; the second presentation reports reuse", async () => {
  await store.codes.save(code(), now);
  await store.grants.issueRefreshToken({ tenant: "acme.localhost", tokenHash: "r1", grantId: "g1", clientId: "rp", sub: "u1", scope: "openid", authTime: now, amr: [], acr: "", claims: {}, expiresAt: now + 3600 });
  expect((await store.grants.consumeRefreshToken("acme.localhost", "r1")).status).toBe("ok");
  expect((await store.grants.consumeRefreshToken("acme.localhost", "r1")).status).toBe("reused");
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
  expect(await store.grants.isAccessTokenRevoked("acme.localhost", "any", "g1")).toBe(true);
});

test("a store reopened on the same directory keeps what was committed", async () => {
  await store.users.add({ tenant: "acme.localhost", sub: "s", username: "u", sealedHa1: null, role: "user", email: null, name: null, groups: [], disabled: false, createdAt: now, updatedAt: now, sessionEpoch: 0 });
  store.close();
  store = openSqliteStore(dir);
  expect((await store.users.findByUsername("acme.localhost", "u"))?.sub).toBe("s");
});

test("cached clients and tenants follow changes made by another connection (the CLI)", async () => {
  const client = { tenant: "acme.localhost", clientId: "rp", secretHash: null, redirectUris: ["https://rp/cb"], postLogoutRedirectUris: [], refreshTokenTtl: null, createdAt: now };
  await store.clients.add(client);
  expect((await store.clients.get("acme.localhost", "rp"))?.redirectUris).toEqual(["https://rp/cb"]);
  const other = openSqliteStore(dir);
  await other.clients.remove("acme.localhost", "rp");
  await other.clients.add({ ...client, redirectUris: ["https://rp/other"] });
  await other.tenants.add({ host: "contoso.localhost", realm: "contoso.localhost", createdAt: now, mail: DEFAULT_TENANT_MAIL, origin: null });
  other.close();
  expect((await store.clients.get("acme.localhost", "rp"))?.redirectUris).toEqual(["https://rp/other"]);
  expect((await store.tenants.get("contoso.localhost"))?.realm).toBe("contoso.localhost");
});

test("a throttle counts failures in one statement, forgets an idle count, and clears on success", async () => {
  const forgetAfter = 3600;
  expect(await store.throttles.get("acme.localhost", "2fa:u1", now)).toBeNull();
  await Promise.all(Array.from({ length: 5 }, () => store.throttles.recordFailure("acme.localhost", "2fa:u1", now, forgetAfter)));
  expect(await store.throttles.get("acme.localhost", "2fa:u1", now + 10)).toEqual({ failures: 5, lastFailureAt: now });
  // Another tenant's key of the same name is another count.
  expect(await store.throttles.get("contoso.localhost", "2fa:u1", now)).toBeNull();
  // Idle past forgetAfter: gone, and the next failure starts again at 1.
  expect(await store.throttles.get("acme.localhost", "2fa:u1", now + forgetAfter)).toBeNull();
  expect((await store.throttles.recordFailure("acme.localhost", "2fa:u1", now + forgetAfter, forgetAfter)).failures).toBe(1);
  await store.throttles.clear("acme.localhost", "2fa:u1");
  expect(await store.throttles.get("acme.localhost", "2fa:u1", now + forgetAfter)).toBeNull();
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
  await store.sweep(now);
  expect(await store.walletTransactions.get("acme.localhost", "never-fetched")).toBeNull();
  expect((await store.walletTransactions.get("acme.localhost", "answered"))?.status).toBe("retrieved");
  expect(await store.walletTransactions.get("acme.localhost", "live")).not.toBeNull();
  await store.sweep(now + 3601);
  expect(await store.walletTransactions.get("acme.localhost", "answered")).toBeNull();
});
