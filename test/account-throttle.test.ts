// The attacks on the sign-in that guess: a correct password looped into new pending logins to get
// new guesses at the second factor, and wrong passwords spread over many addresses. Each test does
// what the attacker did, and then shows the real user still gets in from their own browser.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { anotherUser, ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";
import { accountSession, enrolTotp, oathtoolCode } from "./support/totp.ts";
import { makeSoftwareCredential, signAssertion, type RegistrationOptions } from "./support/webauthn.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // --trust-proxy: each test speaks from addresses of its own (X-Forwarded-For), as clients behind a proxy do.
  server = await startSigil({ args: ["--smtp-url", smtp.url, "--trust-proxy"] });
  p = await provision(server);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const newUser = (name: string) => anotherUser(server, p, name);

const post = (name: string, body: Record<string, unknown>, ip: string) =>
  server.fetch(`/oauth2/v1/${name}`, {
    method: "POST", headers: { "content-type": "application/json", accept: "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body),
  });

/** The password step from `ip`, optionally from a browser that holds `device`. */
async function passwordStep(u: Provisioned, ip: string, device?: string) {
  const pkce = pkcePair();
  const { returnTo } = await startAuthorization(server, u, { pkce });
  const response = await post("login", { user: u.username, ha1: ha1(u.username, u.host, u.password), return: returnTo, ...(device ? { device } : {}) }, ip);
  return { response, pkce };
}

async function pendingLogin(u: Provisioned, ip: string, device?: string): Promise<string> {
  const { response } = await passwordStep(u, ip, device);
  expect(response.status).toBe(200);
  return ((await response.json()) as { second_factor: { pending_login: string } }).second_factor.pending_login;
}

const nextStep = (enrolledAt: number) => Math.max(enrolledAt, Math.floor(Date.now() / 1000)) + 30;
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("second factor", () => {
  test("a correct password buys no new guesses: five wrong codes across pending logins make every code wait, even the right one", async () => {
    const u = await newUser("victim");
    const { secret, enrolledAt } = await enrolTotp(server, u, (await accountSession(server, u)).token);
    const good = await oathtoolCode(secret, nextStep(enrolledAt));
    // The attacker holds the password and opens pending logins at will, from several addresses.
    const first = await pendingLogin(u, "198.51.100.1");
    const second = await pendingLogin(u, "198.51.100.2");
    for (let i = 0; i < 3; i++) expect((await post("login-second-factor", { pending_login: first, code: wrongCode(good) }, "198.51.100.1")).status).toBe(400);
    expect((await post("login-second-factor", { pending_login: second, recovery_code: "aaaaa-bbbbb" }, "198.51.100.2")).status).toBe(400);
    expect((await post("login-second-factor", { pending_login: second, email_code: "123456" }, "198.51.100.2")).status).toBe(400);
    // The sixth guess is not judged, right or wrong.
    const right = await post("login-second-factor", { pending_login: second, code: good }, "198.51.100.3");
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await right.json()) as { error: string; error_description: string; code?: string };
    expect(body.error).toBe("too_many_requests");
    expect(body.code).toBeUndefined();
    // And the password opens no new pending login meanwhile.
    const again = (await passwordStep(u, "198.51.100.4")).response;
    expect(again.status).toBe(429);
    expect(((await again.json()) as { second_factor?: unknown }).second_factor).toBeUndefined();
  });

  test("the holder is told by mail once, and their own browser, their passkey and the right code still sign them in", async () => {
    const u = await newUser("holder");
    const session = await accountSession(server, u);
    const { secret, enrolledAt, recoveryCodes } = await enrolTotp(server, u, session.token);
    const good = await oathtoolCode(secret, nextStep(enrolledAt));
    for (let i = 0; i < 6; i++) {
      const pending = await pendingLogin(u, `203.0.113.${i + 1}`).catch(() => null);
      if (pending) await post("login-second-factor", { pending_login: pending, code: wrongCode(good) }, `203.0.113.${i + 1}`);
    }
    const notice = await smtp.next("holder@example.org");
    expect(notice.text).toContain("entered your password correctly");
    expect((await passwordStep(u, "203.0.113.50")).response.status).toBe(429);

    // The browser the user signed in with before is a known device: its codes are judged.
    const ownPending = await pendingLogin(u, "192.0.2.7", session.device);
    const own = await post("login-second-factor", { pending_login: ownPending, code: good }, "192.0.2.7");
    expect(own.status).toBe(200);
    const signedIn = (await own.json()) as { code: string };
    expect(signedIn.code).toBeString();

    // A passkey is never throttled by the codes: register one from a strong, fresh session and sign in with it.
    const account = { ...u, clientId: "sigil-account", redirectUri: `${server.origin()}/account.html` };
    const pkce = pkcePair();
    const { returnTo } = await startAuthorization(server, account, { pkce });
    const step = (await (await post("login", { user: u.username, ha1: ha1(u.username, "localhost", u.password), return: returnTo, device: session.device }, "192.0.2.7")).json()) as { second_factor: { pending_login: string } };
    const done = (await (await post("login-second-factor", { pending_login: step.second_factor.pending_login, recovery_code: recoveryCodes[0]! }, "192.0.2.7")).json()) as { code: string };
    const tokens = (await (await tokenRequest(server, account, {
      grant_type: "authorization_code", code: done.code, redirect_uri: account.redirectUri, code_verifier: pkce.verifier, client_id: "sigil-account",
    }, "none")).json()) as { access_token: string };
    const call = (path: string, body: unknown) => server.fetch(path, { method: "POST", headers: { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const registration = await call("/account/v1/passkeys/registration", {});
    expect(registration.status).toBe(200);
    const started = (await registration.json()) as { challenge_id: string; options: RegistrationOptions };
    const made = makeSoftwareCredential(started.options, server.origin(), {});
    expect((await call("/account/v1/passkeys", { challenge_id: started.challenge_id, credential: JSON.stringify(made.response), label: "key" })).status).toBe(201);
    const { returnTo: rpReturn } = await startAuthorization(server, u);
    const ceremony = (await (await post("passkey-signin-start", { return: rpReturn }, "203.0.113.60")).json()) as { challenge_id: string; options: { challenge: string } };
    const assertion = await signAssertion(made.credential, { challenge: ceremony.options.challenge, origin: server.origin(), rpId: "localhost", signCount: made.credential.signCount + 1 });
    expect((await post("passkey-signin-finish", { challenge_id: ceremony.challenge_id, credential: JSON.stringify(assertion) }, "203.0.113.60")).status).toBe(200);

    // Exactly one notice for the one lock-out.
    await Bun.sleep(200);
    expect(smtp.messages.filter((mail) => mail.to.includes("holder@example.org") && mail.text.includes("entered your password correctly"))).toHaveLength(1);
  });

  test("wrong codes count against the client's address as wrong passwords do", async () => {
    const ip = "192.0.2.200";
    for (const name of ["ipone", "iptwo"]) {
      const u = await newUser(name);
      const { secret, enrolledAt } = await enrolTotp(server, u, (await accountSession(server, u)).token);
      const good = await oathtoolCode(secret, nextStep(enrolledAt));
      const pending = await pendingLogin(u, ip);
      for (let i = 0; i < 5; i++) await post("login-second-factor", { pending_login: pending, code: wrongCode(good) }, ip);
    }
    // Ten failures from one address within the minute: every sign-in attempt from it waits.
    const { returnTo } = await startAuthorization(server, p);
    const blocked = await post("login", { user: p.username, ha1: ha1(p.username, "localhost", p.password), return: returnTo }, ip);
    expect(blocked.status).toBe(429);
    const elsewhere = await post("login", { user: p.username, ha1: ha1(p.username, "localhost", p.password), return: returnTo }, "192.0.2.201");
    expect(elsewhere.status).toBe(200);
  });
});

describe("password", () => {
  test("wrong passwords spread over many addresses make the account wait for new devices, not for the user's own browser", async () => {
    const u = await newUser("target");
    const { device } = await accountSession(server, u);
    for (let i = 0; i < 10; i++) {
      const { returnTo } = await startAuthorization(server, u);
      const wrong = await post("login", { user: u.username, ha1: ha1(u.username, "localhost", `guess-${i}`), return: returnTo }, `100.64.0.${i + 1}`);
      expect(wrong.status).toBe(401);
    }
    // Even the right password from yet another address is not judged now.
    const attacker = (await passwordStep(u, "100.64.0.99")).response;
    expect(attacker.status).toBe(429);
    expect(((await attacker.json()) as { code?: string }).code).toBeUndefined();
    // The user's browser holds a device token from an earlier sign-in: it is not slowed down.
    const own = (await passwordStep(u, "100.64.0.100", device)).response;
    expect(own.status).toBe(200);
    expect(((await own.json()) as { code?: string }).code).toBeString();
    // A device token with a forged signature vouches for nothing.
    const [head, body] = device.split(".");
    expect((await passwordStep(u, "100.64.0.102", `${head}.${body}.${"A".repeat(43)}`)).response.status).toBe(429);
    // A device token of another account does not vouch for this one.
    const { device: otherDevice } = await accountSession(server, p);
    expect((await passwordStep(u, "100.64.0.101", otherDevice)).response.status).toBe(429);
    const notice = await smtp.next("target@example.org");
    expect(notice.text).toContain("many wrong passwords");
  });

  test("an unknown username is throttled alike, so the answer never tells which names exist", async () => {
    const ghost = { ...p, username: "nobody-here", password: "x" };
    for (let i = 0; i < 10; i++) expect((await passwordStep(ghost, `100.65.0.${i + 1}`)).response.status).toBe(401);
    expect((await passwordStep(ghost, "100.65.0.99")).response.status).toBe(429);
  });
});
