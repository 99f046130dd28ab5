// Passkeys over HTTP with a software authenticator (test/support/webauthn.ts), so each check can be broken alone:
// other tenant's origin or RP ID, replay, reused or expired challenge, counter regression, removed
// credential, no user verification, a foreign key. Each is refused, mints nothing, and is audited.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { AuditReader } from "./support/audit.ts";
import { ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { accountToken } from "./support/totp.ts";
import { makeSoftwareCredential, signAssertion, type ExportedCredential, type RegistrationOptions } from "./support/webauthn.ts";

let server: SigilServer;
let p: Provisioned;
let credential: ExportedCredential;
let counter = 0;
let audit: AuditReader;

/** Registers a software passkey for `u` through the account API, as the account page does. */
async function registerPasskey(u: Provisioned, token: string, overrides: { origin?: string; rpId?: string; userVerified?: boolean; label?: string } = {}) {
  const call = (path: string, body: unknown) => server.fetch(path, {
    host: u.host, method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body),
  });
  const started = (await (await call("/account/v1/passkeys/registration", {})).json()) as { challenge_id: string; options: RegistrationOptions & { authenticatorSelection: { userVerification: string; residentKey: string } } };
  const made = makeSoftwareCredential(started.options, overrides.origin ?? server.origin(u.host), overrides);
  const response = await call("/account/v1/passkeys", { challenge_id: started.challenge_id, credential: JSON.stringify(made.response), label: overrides.label ?? "Software key" });
  return { response, credential: made.credential, options: started.options };
}

beforeAll(async () => {
  // Every refused assertion counts as a failed sign-in from this IP; this file makes many on purpose.
  server = await startSigil({ env: { SIGIL_LOGIN_FAILURE_LIMIT: "1000" } });
  p = await provision(server);
  await provision(server, "acme.localhost");
  audit = new AuditReader(server.dataDir);
  const registered = await registerPasskey(p, await accountToken(server, p));
  expect(registered.response.status).toBe(201);
  credential = registered.credential;
  counter = credential.signCount;
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const post = (name: string, body: Record<string, unknown>, host = "localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { host, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

async function begin(u: Provisioned = p, extra: Record<string, string> = {}) {
  const pkce = pkcePair();
  const { returnTo } = await startAuthorization(server, u, { pkce, extra });
  const started = await post("passkey-signin-start", { return: returnTo }, u.host);
  expect(started.status).toBe(200);
  const body = (await started.json()) as { challenge_id: string; options: { challenge: string; rpId: string; userVerification: string; allowCredentials?: unknown[] } };
  return { ...body, pkce, returnTo };
}

const finish = async (challengeId: string, assertion: unknown, host = "localhost") =>
  post("passkey-signin-finish", { challenge_id: challengeId, credential: JSON.stringify(await assertion) }, host);

/** An account-page token from a passkey sign-in: what changing the passkeys of an account that has one takes. */
async function passkeyAccountToken(): Promise<string> {
  const account = { ...p, clientId: "sigil-account", redirectUri: `${server.origin()}/account.html` };
  const pkce = pkcePair();
  const started = await startAuthorization(server, account, { pkce });
  const run = (await (await post("passkey-signin-start", { return: started.returnTo })).json()) as { challenge_id: string; options: { challenge: string } };
  const finished = await finish(run.challenge_id, good(run.options.challenge));
  expect(finished.status).toBe(200);
  const done = (await finished.json()) as { code: string };
  const tokenResponse = await tokenRequest(server, account, {
    grant_type: "authorization_code", code: done.code, redirect_uri: account.redirectUri, code_verifier: pkce.verifier, client_id: "sigil-account",
  }, "none");
  expect(tokenResponse.status).toBe(200);
  return ((await tokenResponse.json()) as { access_token: string }).access_token;
}

const good = (challenge: string, overrides: Partial<Parameters<typeof signAssertion>[1]> = {}) =>
  signAssertion(credential, { challenge, origin: server.origin(), rpId: "localhost", signCount: ++counter, ...overrides });

async function expectRefused(response: Response, reason: string) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.error).toBe("invalid_grant");
  expect(body.code).toBeUndefined();
  expect(body.redirect).toBeUndefined();
  expect(await audit.next((line) => line.event === "passkey.signin_failure" && line.reason === reason)).toBeDefined();
}

describe("sign-in", () => {
  test("the options ask for user verification and any discoverable credential of this tenant", async () => {
    const { options } = await begin();
    expect(options.rpId).toBe("localhost");
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.challenge.length).toBeGreaterThanOrEqual(43);
  });

  test("a correct assertion completes the request with amr hwk+user and acr hwk-mfa", async () => {
    const { challenge_id, options, pkce } = await begin();
    const response = await finish(challenge_id, good(options.challenge));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { code: string; redirect: string; sso: string };
    expect(body.redirect).toStartWith("https://rp.example/cb?code=");
    const tokens = await tokenRequest(server, p, { grant_type: "authorization_code", code: body.code, redirect_uri: p.redirectUri, code_verifier: pkce.verifier });
    const claims = decodeJwt(((await tokens.json()) as { id_token: string }).id_token);
    expect(claims.amr).toEqual(["hwk", "user"]);
    expect(claims.acr).toBe("urn:sigil:acr:hwk-mfa");
  });

  test("without JSON the same success is a 302 to the client", async () => {
    const { challenge_id, options } = await begin();
    const response = await server.fetch("/oidc.ashx?action=passkey-signin-finish", {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ challenge_id, credential: JSON.stringify(await good(options.challenge)) }),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toStartWith("https://rp.example/cb?code=");
  });

  test("a replayed assertion is refused: its challenge was used", async () => {
    const { challenge_id, options } = await begin();
    const assertion = await good(options.challenge);
    expect((await finish(challenge_id, assertion)).status).toBe(200);
    await expectRefused(await finish(challenge_id, assertion), "challenge_unknown");
  });

  test("an assertion over an earlier ceremony's challenge is refused", async () => {
    const first = await begin();
    const second = await begin();
    await expectRefused(await finish(second.challenge_id, good(first.options.challenge)), "verification_failed");
  });

  test("an expired challenge is refused", async () => {
    const { challenge_id, options } = await begin();
    const db = new Database(join(server.dataDir, "sigil.db"));
    db.run("UPDATE webauthn_challenges SET expires_at = 0");
    db.close();
    await expectRefused(await finish(challenge_id, good(options.challenge)), "challenge_unknown");
  });

  test("an assertion made for another tenant's origin or RP ID is refused", async () => {
    const origin = await begin();
    await expectRefused(await finish(origin.challenge_id, good(origin.options.challenge, { origin: server.origin("acme.localhost") })), "verification_failed");
    const rpId = await begin();
    await expectRefused(await finish(rpId.challenge_id, good(rpId.options.challenge, { rpId: "acme.localhost" })), "verification_failed");
  });

  test("this tenant's credential means nothing at another tenant", async () => {
    const acme = { ...p, host: "acme.localhost" };
    const { challenge_id, options } = await begin(acme);
    const response = await finish(challenge_id, good(options.challenge, { origin: server.origin("acme.localhost"), rpId: "acme.localhost" }), "acme.localhost");
    expect(response.status).toBe(400);
    expect(await audit.next((line) => line.event === "passkey.signin_failure" && line.reason === "credential_unknown", "acme.localhost")).toBeDefined();
  });

  test("a counter that does not advance past the last accepted one is refused (a cloned authenticator)", async () => {
    const accepted = await begin();
    const lastAccepted = ++counter;
    expect((await finish(accepted.challenge_id, signAssertion(credential, { challenge: accepted.options.challenge, origin: server.origin(), rpId: "localhost", signCount: lastAccepted }))).status).toBe(200);
    for (const signCount of [lastAccepted - 1, lastAccepted]) {
      const { challenge_id, options } = await begin();
      await expectRefused(await finish(challenge_id, signAssertion(credential, { challenge: options.challenge, origin: server.origin(), rpId: "localhost", signCount })), "counter_regressed");
    }
  });

  test("an assertion without user verification is refused", async () => {
    const { challenge_id, options } = await begin();
    await expectRefused(await finish(challenge_id, good(options.challenge, { userVerified: false })), "verification_failed");
  });

  test("a signature by another key is refused", async () => {
    const { challenge_id, options } = await begin();
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    await expectRefused(await finish(challenge_id, good(options.challenge, { otherKey: other })), "verification_failed");
  });

  test("malformed requests get RFC 6749 errors and no stack", async () => {
    expect((await post("passkey-signin-start", { return: "https://evil.example/authorize" })).status).toBe(400);
    expect((await post("passkey-signin-finish", {})).status).toBe(400);
    const notJson = await post("passkey-signin-finish", { challenge_id: "x", credential: "{not json" });
    expect(((await notJson.json()) as { error: string }).error).toBe("invalid_request");
    const { challenge_id } = await begin();
    const shape = await finish(challenge_id, { id: 5 });
    expect(shape.status).toBe(400);
    expect(await shape.text()).not.toContain("at ");
  });
});

describe("registration", () => {
  test("asks for a resident key with user verification and excludes the user's existing passkeys", async () => {
    const token = await passkeyAccountToken();
    const started = (await (await server.fetch("/account/v1/passkeys/registration", { method: "POST", headers: { authorization: `Bearer ${token}` } })).json()) as {
      options: { rp: { id: string }; authenticatorSelection: { residentKey: string; userVerification: string }; excludeCredentials: { id: string }[]; attestation: string };
    };
    expect(started.options.rp.id).toBe("localhost");
    expect(started.options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(started.options.excludeCredentials.map((c) => c.id)).toContain(credential.credentialId);
  });

  test("an attestation for another origin or RP ID, or without user verification, is refused and audited", async () => {
    const token = await passkeyAccountToken();
    for (const overrides of [{ origin: server.origin("acme.localhost") }, { rpId: "acme.localhost" }, { userVerified: false }]) {
      const { response } = await registerPasskey(p, token, overrides);
      expect(response.status).toBe(400);
      expect(await audit.next((line) => line.event === "passkey.registration_failure" && line.reason === "verification_failed")).toBeDefined();
    }
    const list = (await (await server.fetch("/account/v1/passkeys", { headers: { authorization: `Bearer ${token}` } })).json()) as { passkeys: unknown[] };
    expect(list.passkeys).toHaveLength(1);
  });

  test("a registration challenge works once and only for the user it was made for", async () => {
    const token = await passkeyAccountToken();
    const started = (await (await server.fetch("/account/v1/passkeys/registration", { method: "POST", headers: { authorization: `Bearer ${token}` } })).json()) as { challenge_id: string; options: RegistrationOptions };
    await server.cliOk(["user", "add", "localhost", "eve", "--password-stdin"], "eve-password\n");
    const eve = await accountToken(server, { ...p, username: "eve", password: "eve-password" });
    const made = makeSoftwareCredential(started.options, server.origin());
    const asEve = await server.fetch("/account/v1/passkeys", {
      method: "POST", headers: { authorization: `Bearer ${eve}`, "content-type": "application/json" },
      body: JSON.stringify({ challenge_id: started.challenge_id, credential: JSON.stringify(made.response) }),
    });
    expect(asEve.status).toBe(400);
  });

  test("a registration challenge works once: a second, fresh credential sent with the spent challenge is refused and nothing is stored", async () => {
    // Signed in with a passkey, so the session is strong enough for the second attempt too: only the spent challenge can refuse it.
    const token = await passkeyAccountToken();
    const call = (method: string, path: string, body?: unknown) => server.fetch(path, {
      method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const stored = async () => ((await (await call("GET", "/account/v1/passkeys")).json()) as { passkeys: { id: string }[] }).passkeys.map((passkey) => passkey.id).sort();
    const started = (await (await call("POST", "/account/v1/passkeys/registration", {})).json()) as { challenge_id: string; options: RegistrationOptions };
    const first = makeSoftwareCredential(started.options, server.origin());
    const registered = await call("POST", "/account/v1/passkeys", { challenge_id: started.challenge_id, credential: JSON.stringify(first.response), label: "First" });
    expect(registered.status).toBe(201);
    try {
      const before = await stored();
      expect(before).toContain(first.credential.credentialId);
      const second = makeSoftwareCredential(started.options, server.origin());
      const reused = await call("POST", "/account/v1/passkeys", { challenge_id: started.challenge_id, credential: JSON.stringify(second.response), label: "Second" });
      expect(reused.status).toBe(400);
      expect(await stored()).toEqual(before);
      expect(before).not.toContain(second.credential.credentialId);
    } finally {
      // The tests below count this user's passkeys.
      expect((await call("DELETE", `/account/v1/passkeys/${first.credential.credentialId}`)).status).toBe(204);
    }
  });
});

describe("step-up with acr_values", () => {
  test("a password sign-in of a user with no passkey returns unmet_authentication_requirements to the client", async () => {
    await server.cliOk(["user", "add", "localhost", "nopk", "--password-stdin"], "nopk-password\n");
    const u = { ...p, username: "nopk", password: "nopk-password" };
    const { returnTo, state } = await startAuthorization(server, u, { extra: { acr_values: "urn:sigil:acr:hwk-mfa" } });
    const response = await post("login", { user: "nopk", ha1: ha1("nopk", "localhost", u.password), return: returnTo });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; redirect: string; code?: string };
    expect(body.error).toBe("unmet_authentication_requirements");
    expect(body.code).toBeUndefined();
    const back = new URL(body.redirect);
    expect(back.searchParams.get("error")).toBe("unmet_authentication_requirements");
    expect(back.searchParams.get("state")).toBe(state);
  });

  test("a password sign-in of a user who has a passkey is asked for the passkey, and nothing is minted", async () => {
    const { returnTo } = await startAuthorization(server, p, { extra: { acr_values: "urn:sigil:acr:hwk-mfa" } });
    const response = await post("login", { user: p.username, ha1: ha1(p.username, "localhost", p.password), return: returnTo });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; code?: string; redirect?: string };
    expect(body.error).toBe("interaction_required");
    expect(body.code).toBeUndefined();
    expect(body.redirect).toBeUndefined();
  });

  test("prompt=none with a password session cannot meet acr_values for a passkey: login_required", async () => {
    const { returnTo: first } = await startAuthorization(server, p);
    const sso = ((await (await post("login", { user: p.username, ha1: ha1(p.username, "localhost", p.password), return: first })).json()) as { sso: string }).sso;
    const { returnTo } = await startAuthorization(server, p, { extra: { acr_values: "urn:sigil:acr:hwk-mfa", prompt: "none" } });
    const body = (await (await post("login", { sso, return: returnTo })).json()) as { error: string; redirect: string };
    expect(body.error).toBe("login_required");
    expect(new URL(body.redirect).searchParams.get("error")).toBe("login_required");
    // The passkey's own session meets it.
    const passkeyRun = await begin();
    const passkeySso = ((await (await finish(passkeyRun.challenge_id, good(passkeyRun.options.challenge))).json()) as { sso: string }).sso;
    const { returnTo: again } = await startAuthorization(server, p, { extra: { acr_values: "urn:sigil:acr:hwk-mfa", prompt: "none" } });
    const reused = await post("login", { sso: passkeySso, return: again });
    expect(reused.status).toBe(200);
  });

  test("a weaker request is met by a stronger sign-in, and the id_token reports what was achieved", async () => {
    const { challenge_id, options, pkce } = await begin(p, { acr_values: "urn:sigil:acr:pwd" });
    const body = (await (await finish(challenge_id, good(options.challenge))).json()) as { code: string };
    const tokens = await tokenRequest(server, p, { grant_type: "authorization_code", code: body.code, redirect_uri: p.redirectUri, code_verifier: pkce.verifier });
    expect(decodeJwt(((await tokens.json()) as { id_token: string }).id_token).acr).toBe("urn:sigil:acr:hwk-mfa");
  });
});

describe("account API", () => {
  test("lists, renames and removes passkeys; another user's or an unknown ID is not found", async () => {
    const token = await accountToken(server, p);
    const call = (method: string, path: string, body?: unknown) => server.fetch(path, {
      method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const list = (await (await call("GET", "/account/v1/passkeys")).json()) as { passkeys: { id: string; label: string; last_used_at: number | null }[] };
    expect(list.passkeys).toHaveLength(1);
    expect(list.passkeys[0]!.id).toBe(credential.credentialId);
    expect(list.passkeys[0]!.last_used_at).toBeNumber();
    expect((await call("PATCH", `/account/v1/passkeys/${credential.credentialId}`, { label: "Office key" })).status).toBe(200);
    expect((await call("PATCH", `/account/v1/passkeys/${credential.credentialId}`, { label: "" })).status).toBe(400);
    expect((await call("PATCH", "/account/v1/passkeys/unknown", { label: "x" })).status).toBe(404);
    const renamed = (await (await call("GET", "/account/v1/passkeys")).json()) as typeof list;
    expect(renamed.passkeys[0]!.label).toBe("Office key");
    // Another user's session cannot touch alice's passkey.
    await server.cliOk(["user", "add", "localhost", "mallory", "--password-stdin"], "mallory-password\n");
    const mallory = await accountToken(server, { ...p, username: "mallory", password: "mallory-password" });
    const foreign = await server.fetch(`/account/v1/passkeys/${credential.credentialId}`, { method: "DELETE", headers: { authorization: `Bearer ${mallory}` } });
    expect(foreign.status).toBe(404);
  });

  test("the only passkey of an account without a password cannot be removed; with a password it can, and then it signs in no more", async () => {
    await server.cliOk(["user", "set-password", "localhost", p.username, "--no-password"]);
    // No password any more: the password does not sign in, the passkey does.
    const { returnTo } = await startAuthorization(server, p);
    expect((await post("login", { user: p.username, ha1: ha1(p.username, "localhost", p.password), return: returnTo })).status).toBe(401);
    const token = await passkeyAccountToken();
    const remove = () => server.fetch(`/account/v1/passkeys/${credential.credentialId}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    const refused = await remove();
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("only way to sign in");

    await server.cliOk(["user", "set-password", "localhost", p.username, "--password-stdin"], `${p.password}\n`);
    expect((await remove()).status).toBe(204);
    expect(await audit.next((line) => line.event === "passkey.removed")).toBeDefined();
    const after = await begin();
    await expectRefused(await finish(after.challenge_id, good(after.options.challenge)), "credential_unknown");
  });
});
