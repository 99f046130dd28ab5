import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestContext, Services } from "../context/index.ts";
import { Keyring, signAccessToken } from "../keys/index.ts";
import { openSqliteStore, type Store, type User } from "../store/index.ts";
import { addClient, addTenant, addUser } from "../tenant/index.ts";
import { AdminError } from "./admin-error.ts";
import { requireAdmin } from "./admin-session.ts";

// requireAdmin against tokens minted here with the tenant's own key, so that each claim can be
// made wrong on its own (an expired token needs no waiting).
const TENANT = "acme.localhost";
const ISSUER = "https://acme.localhost";
let dir: string;
let store: Store;
let services: Services;
let context: RequestContext;
let root: User;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-admin-session-"));
  store = openSqliteStore(dir);
  const tenant = await addTenant(store, TENANT);
  services = { store, keyring: await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32))) } as unknown as Services;
  context = { tenant, issuer: ISSUER, ip: "127.0.0.1", wantsJson: true };
  root = await addUser(store, TENANT, { username: "root", noPassword: true, role: "admin" });
  await addClient(store, TENANT, { clientId: "bot", confidential: true, redirectUris: [], grantTypes: ["client_credentials"], scopes: ["sigil:admin"] });
  // A relying party the admin's token could have been issued to (a token names a client that exists).
  await addClient(store, TENANT, { clientId: "rp", redirectUris: ["https://rp.example/cb"] });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function token(claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signAccessToken(services.keyring, TENANT, {
    iss: ISSUER, aud: ISSUER, sub: root.sub, client_id: "sigil-admin", scope: "openid", gid: crypto.randomUUID(), jti: crypto.randomUUID(), iat: now, exp: now + 300, ...claims,
  } as Parameters<typeof signAccessToken>[2]);
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof AdminError ? { status: error.status, code: error.code } : error));

test("control: an enabled admin's console token is the admin", async () => {
  expect(await requireAdmin(services, context, `Bearer ${await token()}`)).toEqual({ kind: "user", sub: root.sub, username: "root" });
});

describe("refused", () => {
  test("the same token, expired (beyond the clock tolerance)", async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    expect(await refusal(requireAdmin(services, context, `Bearer ${await token({ iat: past - 300, exp: past })}`))).toEqual({ status: 401, code: "unauthenticated" });
  });

  test("the same user's token issued to another client", async () => {
    expect(await refusal(requireAdmin(services, context, `Bearer ${await token({ client_id: "rp" })}`))).toEqual({ status: 403, code: "forbidden" });
  });

  test("a token naming the admin console but not marked as a client's own cannot pass for the machine client it names", async () => {
    expect(await refusal(requireAdmin(services, context, `Bearer ${await token({ sub: "bot", client_id: "bot", scope: "sigil:admin" })}`))).toEqual({ status: 403, code: "forbidden" });
  });

  test("a client_credentials token of a client that is gone", async () => {
    const claims = { sub: "gone", client_id: "gone", scope: "sigil:admin", gty: "client_credentials" };
    expect(await refusal(requireAdmin(services, context, `Bearer ${await token(claims)}`))).toEqual({ status: 401, code: "unauthenticated" });
    expect(await requireAdmin(services, context, `Bearer ${await token({ ...claims, sub: "bot", client_id: "bot" })}`)).toEqual({ kind: "client", clientId: "bot" });
  });

  test("a token for a user that no longer exists", async () => {
    expect(await refusal(requireAdmin(services, context, `Bearer ${await token({ sub: "nobody" })}`))).toEqual({ status: 401, code: "unauthenticated" });
  });

  test("a Basic header, or no header", async () => {
    expect(await refusal(requireAdmin(services, context, "Basic Ym90OnNlY3JldA=="))).toEqual({ status: 401, code: "unauthenticated" });
    expect(await refusal(requireAdmin(services, context, null))).toEqual({ status: 401, code: "unauthenticated" });
  });
});
