// TOTP as a second factor over HTTP: enrolment, the pending login, replay and brute-force
// limits, recovery codes, the emailed code, and the operator's reset. Codes come from oathtool.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AuditReader } from "./support/audit.ts";
import { anotherUser, ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";
import { accountSession, accountToken, enrolTotp, oathtoolCode } from "./support/totp.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;
let audit: AuditReader;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Wrong codes count as failed sign-ins from this IP; this file makes many on purpose.
  server = await startSigil({ args: ["--smtp-url", smtp.url], env: { SIGIL_LOGIN_FAILURE_LIMIT: "1000" } });
  p = await provision(server);
  await provision(server, "acme.localhost");
  audit = new AuditReader(server.dataDir);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

/** A fresh user per test: each has its own last-used time step. */
const newUser = (name: string, host = "localhost") => anotherUser(server, p, name, host);

const post = (name: string, body: Record<string, unknown>, host = "localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { host, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

const account = (token: string, method: string, path: string, host = "localhost") =>
  server.fetch(path, { host, method, headers: { authorization: `Bearer ${token}`, accept: "application/json" } });

/** Password step: returns the pending login and the PKCE verifier of the authorization it belongs to. */
async function passwordStep(u: Provisioned) {
  const pkce = pkcePair();
  const { returnTo } = await startAuthorization(server, u, { pkce });
  const response = await post("login", { user: u.username, ha1: ha1(u.username, u.host, u.password), return: returnTo }, u.host);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { second_factor?: { pending_login: string; methods: string[] }; code?: string };
  expect(body.code).toBeUndefined();
  expect(body.second_factor).toBeDefined();
  return { pending: body.second_factor!.pending_login, methods: body.second_factor!.methods, pkce };
}

async function idTokenFor(u: Provisioned, code: string, verifier: string) {
  const response = await tokenRequest(server, u, { grant_type: "authorization_code", code, redirect_uri: u.redirectUri, code_verifier: verifier });
  expect(response.status).toBe(200);
  return decodeJwt(((await response.json()) as { id_token: string }).id_token);
}

const nextStep = (enrolledAt: number) => Math.max(enrolledAt, Math.floor(Date.now() / 1000)) + 30;

describe("enrolment", () => {
  test("completes only after a correct code, and the secret is not stored in the clear", async () => {
    const u = await newUser("enid");
    const token = await accountToken(server, u);
    const started = await server.fetch("/account/v1/totp/enrolment", { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(started.status).toBe(200);
    const enrolment = (await started.json()) as { secret: string; otpauth_uri: string; qr_svg: string };
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(enrolment.otpauth_uri);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("issuer")).toBe("localhost");
    expect(decodeURIComponent(uri.pathname)).toContain("enid");
    expect(enrolment.qr_svg).toStartWith("<svg");

    const confirm = (code: string) => server.fetch("/account/v1/totp/enrolment/confirm", {
      method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ code }),
    });
    const wrong = String((Number(await oathtoolCode(enrolment.secret)) + 500_000) % 1_000_000).padStart(6, "0");
    expect((await confirm(wrong)).status).toBe(400);
    let me = (await (await account(token, "GET", "/account/v1/me")).json()) as { totp: { enrolled: boolean; recovery_codes_left: number } };
    expect(me.totp.enrolled).toBe(false);
    // Not yet enrolled: the password alone still signs in.
    expect((await post("login", { user: "enid", ha1: ha1("enid", "localhost", u.password), return: (await startAuthorization(server, u)).returnTo })).status).toBe(200);

    const ok = await confirm(await oathtoolCode(enrolment.secret));
    expect(ok.status).toBe(200);
    const { recovery_codes } = (await ok.json()) as { recovery_codes: string[] };
    expect(recovery_codes).toHaveLength(8);
    expect(new Set(recovery_codes).size).toBe(8);
    me = (await (await account(token, "GET", "/account/v1/me")).json()) as typeof me;
    expect(me.totp).toEqual({ enrolled: true, recovery_codes_left: 8 });

    const stored = readdirSync(server.dataDir).filter((name) => name.startsWith("sigil.db")).map((name) => readFileSync(join(server.dataDir, name), "latin1")).join("");
    expect(stored).not.toContain(enrolment.secret);
    for (const code of recovery_codes) expect(stored).not.toContain(code);
  });
});

describe("sign-in with an authenticator app", () => {
  test("the password alone mints nothing; password and code give amr pwd+otp and the two-factor acr", async () => {
    const u = await newUser("tess");
    const { secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
    const { pending, methods, pkce } = await passwordStep(u);
    expect(methods).toEqual(["totp", "recovery_code", "email_code"]);
    const response = await post("login-second-factor", { pending_login: pending, code: await oathtoolCode(secret, nextStep(enrolledAt)) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { code: string; redirect: string; sso: string };
    expect(body.redirect).toStartWith(`${u.redirectUri}?code=`);
    const claims = await idTokenFor(u, body.code, pkce.verifier);
    expect(claims.amr).toEqual(["pwd", "otp"]);
    expect(claims.acr).toBe("urn:sigil:acr:pwd-otp");
    // The pending login completed one sign-in; it cannot complete another.
    const again = await post("login-second-factor", { pending_login: pending, recovery_code: "0000000000" });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe("login_required");
  });

  test("a code is accepted once: replaying it, or an older one, is refused", async () => {
    const u = await newUser("ray");
    const { secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
    const step = nextStep(enrolledAt);
    const code = await oathtoolCode(secret, step);
    const first = await passwordStep(u);
    expect((await post("login-second-factor", { pending_login: first.pending, code })).status).toBe(200);
    const second = await passwordStep(u);
    const replay = await post("login-second-factor", { pending_login: second.pending, code });
    expect(replay.status).toBe(400);
    const replayBody = (await replay.json()) as { error: string; error_description: string };
    expect(replayBody.error).toBe("invalid_grant");
    expect(replayBody.error_description).toContain("4 attempts left");
    const older = await post("login-second-factor", { pending_login: second.pending, code: await oathtoolCode(secret, step - 30) });
    expect(older.status).toBe(400);
  });

  test("five wrong codes destroy the pending login: the sixth attempt, even a good one, must start over", async () => {
    const u = await newUser("wanda");
    const session = await accountSession(server, u);
    const { secret, enrolledAt, recoveryCodes } = await enrolTotp(server, u, session.token);
    const { pending } = await passwordStep(u);
    const good = await oathtoolCode(secret, nextStep(enrolledAt));
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, "0");
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await post("login-second-factor", { pending_login: pending, code: wrong });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error_description: string }).error_description).toContain(`${5 - attempt} attempt`);
    }
    const fifth = await post("login-second-factor", { pending_login: pending, code: wrong });
    expect(((await fifth.json()) as { error: string }).error).toBe("login_required");
    const sixth = await post("login-second-factor", { pending_login: pending, code: good });
    expect(sixth.status).toBe(400);
    expect(((await sixth.json()) as { error: string }).error).toBe("login_required");
    // A recovery code offered to the dead pending login is not spent.
    expect((await post("login-second-factor", { pending_login: pending, recovery_code: recoveryCodes[0]! })).status).toBe(400);
    // Five wrong codes also make the account's codes wait on devices it never signed in on; the user's own browser goes on.
    const token = await accountTokenWithCode(u, secret, nextStep(enrolledAt), session.device);
    const me = (await (await account(token, "GET", "/account/v1/me")).json()) as { totp: { recovery_codes_left: number } };
    expect(me.totp.recovery_codes_left).toBe(8);
    expect(await audit.find((line) => line.event === "second_factor.locked" && line.method === "totp" && line.sub !== null)).toBeDefined();
    expect(await audit.find((line) => line.event === "second_factor.failure" && line.reason === "no_pending_login" && line.method === "recovery_code")).toBeDefined();
  });

  test("a recovery code works once, in any case and with or without its hyphen", async () => {
    const u = await newUser("rhea");
    const { recoveryCodes } = await enrolTotp(server, u, await accountToken(server, u));
    const first = await passwordStep(u);
    const typed = recoveryCodes[2]!.toUpperCase().replace("-", " ");
    const ok = await post("login-second-factor", { pending_login: first.pending, recovery_code: typed });
    expect(ok.status).toBe(200);
    const claims = await idTokenFor(u, ((await ok.json()) as { code: string }).code, first.pkce.verifier);
    expect(claims.amr).toEqual(["pwd", "otp"]);
    const second = await passwordStep(u);
    const reused = await post("login-second-factor", { pending_login: second.pending, recovery_code: recoveryCodes[2]! });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: string }).error).toBe("invalid_grant");
  });

  test("new recovery codes replace the old ones", async () => {
    const u = await newUser("nora");
    const { recoveryCodes, secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
    // With the app enrolled, changing its codes takes a session that used it.
    const token = await accountTokenWithCode(u, secret, nextStep(enrolledAt));
    const renewed = await server.fetch("/account/v1/totp/recovery-codes", { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(renewed.status).toBe(200);
    const fresh = ((await renewed.json()) as { recovery_codes: string[] }).recovery_codes;
    expect(fresh).toHaveLength(8);
    const step = await passwordStep(u);
    expect((await post("login-second-factor", { pending_login: step.pending, recovery_code: recoveryCodes[0]! })).status).toBe(400);
    expect((await post("login-second-factor", { pending_login: step.pending, recovery_code: fresh[0]! })).status).toBe(200);
  });

  test("the emailed code finishes the sign-in once; a wrong one counts as a failure", async () => {
    const u = await newUser("emil");
    await enrolTotp(server, u, await accountToken(server, u));
    const { pending, pkce } = await passwordStep(u);
    const sent = await post("login-email-code", { pending_login: pending });
    expect(sent.status).toBe(200);
    const mail = await smtp.next("emil@example.org");
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    expect(code).toBeDefined();
    const wrong = await post("login-second-factor", { pending_login: pending, email_code: String((Number(code) + 1) % 1_000_000).padStart(6, "0") });
    expect(((await wrong.json()) as { error_description: string }).error_description).toContain("4 attempts left");
    const ok = await post("login-second-factor", { pending_login: pending, email_code: code! });
    expect(ok.status).toBe(200);
    expect((await idTokenFor(u, ((await ok.json()) as { code: string }).code, pkce.verifier)).amr).toEqual(["pwd", "otp"]);
    // The code belonged to that pending login: it does nothing for the next one.
    const next = await passwordStep(u);
    expect((await post("login-second-factor", { pending_login: next.pending, email_code: code! })).status).toBe(400);
  });

  test("a pending login belongs to its tenant", async () => {
    const u = await newUser("tina");
    const { secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
    const { pending } = await passwordStep(u);
    const elsewhere = await post("login-second-factor", { pending_login: pending, code: await oathtoolCode(secret, nextStep(enrolledAt)) }, "acme.localhost");
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as { error: string }).error).toBe("login_required");
  });

  test("malformed second-factor requests get RFC 6749 errors", async () => {
    expect((await post("login-second-factor", {})).status).toBe(400);
    const two = await post("login-second-factor", { pending_login: "x", code: "123456", recovery_code: "abc" });
    expect(((await two.json()) as { error: string }).error).toBe("invalid_request");
    const unknown = await post("login-second-factor", { pending_login: "x".repeat(5000), code: "123456" });
    expect(((await unknown.json()) as { error: string }).error).toBe("login_required");
    expect((await post("login-email-code", { pending_login: "nope" })).status).toBe(400);
  });
});

describe("turning it off", () => {
  test("the user can turn the app off from the account API, and then the password alone signs in", async () => {
    const u = await newUser("olga");
    const { secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
    const token = await accountTokenWithCode(u, secret, nextStep(enrolledAt));
    expect((await account(token, "DELETE", "/account/v1/totp")).status).toBe(204);
    expect((await account(token, "DELETE", "/account/v1/totp")).status).toBe(404);
    const { returnTo } = await startAuthorization(server, u);
    const body = (await (await post("login", { user: u.username, ha1: ha1(u.username, "localhost", u.password), return: returnTo })).json()) as { code?: string };
    expect(body.code).toBeDefined();
  });

  test("sigil user reset-totp clears the enrolment and logs the admin and the target", async () => {
    const u = await newUser("lost");
    await enrolTotp(server, u, await accountToken(server, u));
    const out = await server.cliOk(["user", "reset-totp", "localhost", "lost"]);
    expect(out).toContain("cleared");
    const { returnTo } = await startAuthorization(server, u);
    const body = (await (await post("login", { user: "lost", ha1: ha1("lost", "localhost", u.password), return: returnTo })).json()) as { code?: string };
    expect(body.code).toBeDefined();
    const entry = await audit.find((line) => line.action === "user.reset-totp" && line.username === "lost");
    expect(entry).toBeDefined();
    expect(typeof entry!.admin).toBe("string");
    expect(entry!.sub).toBeString();
    const missing = await server.cli(["user", "reset-totp", "localhost", "nobody"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  });
});

/** An account token for a user who has an app: the second step included. */
async function accountTokenWithCode(u: Provisioned, secret: string, at: number, device?: string): Promise<string> {
  const accountClient = { ...u, clientId: "sigil-account", redirectUri: `${server.origin(u.host)}/account.html` };
  const pkce = pkcePair();
  const { returnTo } = await startAuthorization(server, accountClient, { pkce });
  const login = { user: u.username, ha1: ha1(u.username, u.host, u.password), return: returnTo, ...(device ? { device } : {}) };
  const first = (await (await post("login", login, u.host)).json()) as { second_factor: { pending_login: string } };
  const done = (await (await post("login-second-factor", { pending_login: first.second_factor.pending_login, code: await oathtoolCode(secret, at) }, u.host)).json()) as { code: string };
  const response = await tokenRequest(server, accountClient, {
    grant_type: "authorization_code", code: done.code, redirect_uri: accountClient.redirectUri, code_verifier: pkce.verifier, client_id: "sigil-account",
  }, "none");
  return ((await response.json()) as { access_token: string }).access_token;
}
