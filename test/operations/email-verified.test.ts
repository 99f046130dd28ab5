// email_verified becomes true once the user proved the mailbox: a recovery link used, a sign-in link
// used, an emailed second-factor code accepted. Before that, and for a password sign-in, it stays false.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { anotherUser, ha1, provision, type Provisioned } from "../support/fixtures.ts";
import { obtainTokens, startAuthorization, tokenRequest } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.ts";
import { accountToken, enrolTotp, oathtoolCode } from "../support/totp.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({ args: ["--smtp-url", smtp.url] });
  p = await provision(server);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const post = (name: string, body: Record<string, string>) =>
  server.fetch(`/oauth2/v1/${name}`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

/** email_verified in the id_token of a fresh password sign-in (read from the store at that moment). */
const emailVerified = async (u: Provisioned, password = u.password) => decodeJwt((await obtainTokens(server, { ...u, password })).tokens.id_token!).email_verified;

test("a password sign-in proves nothing of the mailbox", async () => {
  expect(await emailVerified(p)).toBe(false);
  expect(await emailVerified(p)).toBe(false);
});

test("a used recovery link verifies the address", async () => {
  const u = await anotherUser(server, p, "rita");
  expect(await emailVerified(u)).toBe(false);
  expect((await post("recover-start", { email: "rita@example.org" })).status).toBe(200);
  const token = /recover\.html#token=([A-Za-z0-9._-]+)/.exec((await smtp.next("rita@example.org")).text)![1]!;
  expect((await post("recover-finish", { token, new_ha1: ha1("rita", "localhost", "rita-new-pw-1") })).status).toBe(200);
  expect(await emailVerified(u, "rita-new-pw-1")).toBe(true);
});

test("a used sign-in link verifies the address", async () => {
  const u = await anotherUser(server, p, "lina");
  expect(await emailVerified(u)).toBe(false);
  const { returnTo } = await startAuthorization(server, u);
  expect((await post("email-link-start", { email: "lina@example.org", return: returnTo })).status).toBe(200);
  const token = /method=email-link#token=([A-Za-z0-9._-]+)/.exec((await smtp.next("lina@example.org")).text)![1]!;
  expect((await post("login", { email_token: token })).status).toBe(200);
  expect(await emailVerified(u)).toBe(true);
});

test("an emailed second-factor code accepted verifies the address; a wrong one, or the app's code, does not", async () => {
  const u = await anotherUser(server, p, "cody");
  const { secret, enrolledAt } = await enrolTotp(server, u, await accountToken(server, u));
  const pending = async () => {
    const started = await startAuthorization(server, u);
    const body = (await (await post("login", { user: "cody", ha1: ha1("cody", "localhost", u.password), return: started.returnTo })).json()) as { second_factor: { pending_login: string } };
    expect((await post("login-email-code", { pending_login: body.second_factor.pending_login })).status).toBe(200);
    const code = /\b(\d{6})\b/.exec((await smtp.next("cody@example.org")).text)![1]!;
    return { id: body.second_factor.pending_login, code, verifier: started.pkce!.verifier };
  };
  /** Completes the pending login with `proof` and reads email_verified from the id_token it leads to. */
  const finish = async (id: string, verifier: string, proof: Record<string, string>) => {
    const answer = await post("login-second-factor", { pending_login: id, ...proof });
    expect(answer.status).toBe(200);
    const { code } = (await answer.json()) as { code: string };
    const response = await tokenRequest(server, u, { grant_type: "authorization_code", code, redirect_uri: u.redirectUri, code_verifier: verifier });
    return decodeJwt(((await response.json()) as { id_token: string }).id_token).email_verified;
  };
  const first = await pending();
  const wrong = String((Number(first.code) + 1) % 1_000_000).padStart(6, "0");
  expect((await post("login-second-factor", { pending_login: first.id, email_code: wrong })).status).toBe(400);
  const step = Math.max(enrolledAt, Math.floor(Date.now() / 1000)) + 30;
  expect(await finish(first.id, first.verifier, { code: await oathtoolCode(secret, step) })).toBe(false);
  const second = await pending();
  expect(await finish(second.id, second.verifier, { email_code: second.code })).toBe(true);
});
