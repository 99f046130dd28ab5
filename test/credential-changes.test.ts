// Who may change how an account signs in. The attack: control of the mailbox alone (an email
// sign-in link) removed the authenticator app and registered the attacker's passkey, which then met
// acr_values for a passkey. Now the link still owes the app's code, and every change of a credential
// takes a recent session as strong as the strongest credential the account holds. A change, a
// sign-out or a password reset also ends the single sign-on assertions other browsers hold.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { anotherUser, ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";
import { accountToken, enrolTotp, oathtoolCode } from "./support/totp.ts";
import { makeSoftwareCredential, type RegistrationOptions } from "./support/webauthn.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({ args: ["--smtp-url", smtp.url], env: { SIGIL_LOGIN_FAILURE_LIMIT: "1000", SIGIL_REAUTHENTICATION_WINDOW: "6" } });
  p = await provision(server);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const newUser = (name: string) => anotherUser(server, p, name);

const post = (name: string, body: Record<string, unknown>) =>
  server.fetch(`/oauth2/v1/${name}`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

const accountClient = (u: Provisioned) => ({ ...u, clientId: "sigil-account", redirectUri: `${server.origin()}/account.html` });

/** Redeems a mailed sign-in link for `u` at the account client: the answer of the login endpoint. */
async function emailLinkAnswer(u: Provisioned) {
  const client = accountClient(u);
  const pkce = pkcePair();
  const { returnTo } = await startAuthorization(server, client, { pkce });
  expect((await post("email-link-start", { email: `${u.username}@example.org`, return: returnTo })).status).toBe(200);
  const mail = await smtp.next(`${u.username}@example.org`);
  const token = /#token=([A-Za-z0-9._-]+)/.exec(mail.text)?.[1];
  expect(token).toBeString();
  return { answer: await post("login", { email_token: token! }), pkce, client };
}

async function exchange(client: Provisioned, code: string, verifier: string) {
  const response = await tokenRequest(server, client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier, client_id: client.clientId }, "none");
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; id_token: string };
}

const call = (token: string, method: string, path: string, body?: unknown) =>
  server.fetch(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });

async function expectReauthentication(response: Response, acr: string) {
  expect(response.status).toBe(403);
  const body = (await response.json()) as { error: { code: string; acr_values: string; max_age: number } };
  expect(body.error.code).toBe("reauthentication_required");
  expect(body.error.acr_values).toBe(acr);
}

describe("an email sign-in link", () => {
  test("makes no known device: a mailbox alone must not buy a fresh count of password guesses", async () => {
    const u = await newUser("dora");
    const { answer } = await emailLinkAnswer(u);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { code?: string; sso?: string; device?: string };
    expect(body.code).toBeString();
    expect(body.sso).toBeString();
    expect(body.device).toBeUndefined();
  });

  test("still owes the authenticator app's code, and then reports both factors", async () => {
    const u = await newUser("mira");
    const { secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
    const { answer, pkce, client } = await emailLinkAnswer(u);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { code?: string; second_factor?: { pending_login: string; methods: string[] } };
    expect(body.code).toBeUndefined();
    // The mailbox was the first factor: a code by mail cannot be the second.
    expect(body.second_factor!.methods).toEqual(["totp", "recovery_code"]);
    const mailed = await post("login-email-code", { pending_login: body.second_factor!.pending_login });
    expect(mailed.status).toBe(400);
    const at = Math.max(enrolledAt, Math.floor(Date.now() / 1000)) + 30;
    const done = await post("login-second-factor", { pending_login: body.second_factor!.pending_login, code: await oathtoolCode(secret, at) });
    expect(done.status).toBe(200);
    const tokens = await exchange(client, ((await done.json()) as { code: string }).code, pkce.verifier);
    const claims = decodeJwt(tokens.id_token);
    expect(claims.amr).toEqual(["user", "otp"]);
    expect(claims.acr).toBe("urn:sigil:acr:email-otp");
  });
});

describe("changing how an account signs in", () => {
  test("a mailbox alone cannot add a passkey to, or remove one from, an account that has one", async () => {
    const u = await newUser("pia");
    // pia has a passkey (registered from a password session while she had nothing stronger).
    const first = await accountToken(server, u);
    const started = (await (await call(first, "POST", "/account/v1/passkeys/registration", {})).json()) as { challenge_id: string; options: RegistrationOptions };
    const made = makeSoftwareCredential(started.options, server.origin(), {});
    expect((await call(first, "POST", "/account/v1/passkeys", { challenge_id: started.challenge_id, credential: JSON.stringify(made.response), label: "pia's key" })).status).toBe(201);

    // The attacker controls pia's mailbox and signs in to the account page with a link.
    const { answer, pkce, client } = await emailLinkAnswer(u);
    const tokens = await exchange(client, ((await answer.json()) as { code: string }).code, pkce.verifier);
    expect(decodeJwt(tokens.access_token).acr).toBe("urn:sigil:acr:email-link");
    await expectReauthentication(await call(tokens.access_token, "POST", "/account/v1/passkeys/registration", {}), "urn:sigil:acr:hwk-mfa");
    await expectReauthentication(await call(tokens.access_token, "POST", "/account/v1/passkeys", { challenge_id: "x", credential: "{}" }), "urn:sigil:acr:hwk-mfa");
    await expectReauthentication(await call(tokens.access_token, "DELETE", `/account/v1/passkeys/${made.credential.credentialId}`), "urn:sigil:acr:hwk-mfa");
    await expectReauthentication(await call(tokens.access_token, "POST", "/account/v1/totp/enrolment", {}), "urn:sigil:acr:hwk-mfa");
    // Reading stays open to the weaker session; nothing changed.
    const list = (await (await call(tokens.access_token, "GET", "/account/v1/passkeys")).json()) as { passkeys: unknown[] };
    expect(list.passkeys).toHaveLength(1);
  });

  test("a password session cannot turn off an authenticator app or replace its recovery codes", async () => {
    const u = await newUser("rolf");
    const passwordOnly = await accountToken(server, u);
    await enrolTotp(server, u, passwordOnly);
    await expectReauthentication(await call(passwordOnly, "DELETE", "/account/v1/totp"), "urn:sigil:acr:pwd-otp");
    await expectReauthentication(await call(passwordOnly, "POST", "/account/v1/totp/recovery-codes", {}), "urn:sigil:acr:pwd-otp");
    const me = (await (await call(passwordOnly, "GET", "/account/v1/me")).json()) as { totp: { enrolled: boolean; recovery_codes_left: number } };
    expect(me.totp).toEqual({ enrolled: true, recovery_codes_left: 8 });
  });

  test("a session strong enough but signed in too long ago must sign in again", async () => {
    const u = await newUser("sven");
    const token = await accountToken(server, u);
    await Bun.sleep(7000); // past SIGIL_REAUTHENTICATION_WINDOW=6
    const refused = await call(token, "POST", "/account/v1/totp/enrolment", {});
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; max_age: number } };
    expect(body.error).toMatchObject({ code: "reauthentication_required", max_age: 6 });
  });
});

describe("single sign-on ends", () => {
  /** A password sign-in at the relying party: the assertion the browser keeps, and the id_token. */
  async function signIn(u: Provisioned) {
    const pkce = pkcePair();
    const { returnTo } = await startAuthorization(server, u, { pkce });
    const body = (await (await post("login", { user: u.username, ha1: ha1(u.username, "localhost", u.password), return: returnTo })).json()) as { sso: string; code: string };
    const tokens = await tokenRequest(server, u, { grant_type: "authorization_code", code: body.code, redirect_uri: u.redirectUri, code_verifier: pkce.verifier });
    return { sso: body.sso, idToken: ((await tokens.json()) as { id_token: string }).id_token };
  }
  const reuse = async (u: Provisioned, sso: string) => post("login", { sso, return: (await startAuthorization(server, u)).returnTo });

  test("at sign-out, in every browser that holds an assertion (a copied one too)", async () => {
    const u = await newUser("otto");
    const here = await signIn(u);
    const elsewhere = await signIn(u);
    expect((await reuse(u, elsewhere.sso)).status).toBe(200);
    const logout = await server.fetch(`/oauth2/v1/end_session?${new URLSearchParams({ id_token_hint: here.idToken })}`);
    expect(logout.status).toBe(200);
    expect((await reuse(u, elsewhere.sso)).status).toBe(401);
    expect((await reuse(u, here.sso)).status).toBe(401);
    // A new sign-in gives a working assertion again.
    expect((await reuse(u, (await signIn(u)).sso)).status).toBe(200);
  });

  test("when the password is reset through a recovery link", async () => {
    const u = await newUser("rita");
    const { sso } = await signIn(u);
    expect((await post("recover-start", { email: "rita@example.org" })).status).toBe(200);
    const token = /#token=([A-Za-z0-9._-]+)/.exec((await smtp.next("rita@example.org")).text)?.[1];
    expect((await post("recover-finish", { token: token!, new_ha1: ha1("rita", "localhost", "a-new-password") })).status).toBe(200);
    expect((await reuse(u, sso)).status).toBe(401);
  });

  test("when a credential changes, except in the browser that changed it, which gets a new assertion", async () => {
    const u = await newUser("tilo");
    const other = await signIn(u);
    const token = await accountToken(server, u);
    await enrolTotp(server, u, token);
    expect((await reuse(u, other.sso)).status).toBe(401);
    const renewed = await call(token, "POST", "/account/v1/session/sso", {});
    expect(renewed.status).toBe(200);
    const { sso } = (await renewed.json()) as { sso: string };
    expect((await reuse(u, sso)).status).toBe(200);
  });

  test("max_age=0 asks for a sign-in now, even right after one in the same second", async () => {
    const u = await newUser("maxi");
    const { sso } = await signIn(u);
    const { returnTo } = await startAuthorization(server, u, { extra: { max_age: "0" } });
    const answer = await post("login", { sso, return: returnTo });
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { error: string }).error).toBe("login_required");
  });
});
