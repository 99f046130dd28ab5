import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring, signAccessToken } from "../keys/index.ts";
import { openSqliteStore, type Store } from "../store/index.ts";
import { addClient, addTenant } from "../tenant/index.ts";
import { verifyAccessToken } from "./access-token.ts";
import type { RequestContext, Services } from "../context/index.ts";

// With --trust-proxy one tenant answers at several origins (http://host and https://host): the
// issuer is the request's own origin, and a token minted at one must not be accepted at another.
const TENANT = "acme.localhost";
const HTTPS = "https://acme.localhost";
const HTTP = "http://acme.localhost";

let dir: string;
let store: Store;
let services: Services;
let context: RequestContext;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sigil-access-token-"));
  store = openSqliteStore(dir);
  const tenant = await addTenant(store, TENANT);
  // The client the tokens name: a token lives no longer than its client (access-token.ts).
  await addClient(store, TENANT, { clientId: "rp", redirectUris: ["https://rp.example/cb"] });
  // verifyAccessToken reads only the keyring and the store.
  services = { store, keyring: await Keyring.create(store, crypto.getRandomValues(new Uint8Array(32))) } as unknown as Services;
  context = { tenant, issuer: HTTPS, ip: "127.0.0.1", wantsJson: true };
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An access token signed with the tenant's own active key, right in every way unless told otherwise. */
async function accessToken(claims: { iss?: string; aud?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signAccessToken(services.keyring, TENANT, {
    client_id: "rp", scope: "openid", gid: crypto.randomUUID(), iss: claims.iss ?? HTTPS, aud: claims.aud ?? HTTPS, sub: "user-1",
    jti: crypto.randomUUID(), iat: now, exp: now + 300,
  });
}

test("control: a token with this origin as issuer and audience is accepted", async () => {
  expect((await verifyAccessToken(services, context, await accessToken()))?.sub).toBe("user-1");
});

test("a token whose issuer is the tenant's other origin is refused, though its audience is right", async () => {
  expect(await verifyAccessToken(services, context, await accessToken({ iss: HTTP }))).toBeNull();
});

test("a token whose audience is the tenant's other origin is refused, though its issuer is right", async () => {
  expect(await verifyAccessToken(services, context, await accessToken({ aud: HTTP }))).toBeNull();
});

test("a token minted at http://host is refused at https://host, and accepted at http://host", async () => {
  const minted = await accessToken({ iss: HTTP, aud: HTTP });
  expect(await verifyAccessToken(services, context, minted)).toBeNull();
  expect((await verifyAccessToken(services, { ...context, issuer: HTTP }, minted))?.sub).toBe("user-1");
});

test("a token lives no longer than its client: refused once the client is removed, and not revived by registering the client_id again", async () => {
  await addClient(store, TENANT, { clientId: "short", redirectUris: ["https://short.example/cb"] });
  const now = Math.floor(Date.now() / 1000);
  const minted = await signAccessToken(services.keyring, TENANT, {
    client_id: "short", scope: "openid", gid: crypto.randomUUID(), iss: HTTPS, aud: HTTPS, sub: "user-1", jti: crypto.randomUUID(), iat: now, exp: now + 300,
  });
  expect((await verifyAccessToken(services, context, minted))?.client_id).toBe("short");
  await store.clients.remove(TENANT, "short");
  expect(await verifyAccessToken(services, context, minted)).toBeNull();
  // Registered again a second later (times are whole seconds): the token predates the new client.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await addClient(store, TENANT, { clientId: "short", redirectUris: ["https://short.example/cb"] });
  expect(await verifyAccessToken(services, context, minted)).toBeNull();
});
