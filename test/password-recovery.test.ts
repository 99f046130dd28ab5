// Self-service password recovery over real SMTP: the start endpoint never tells whether an
// address is known, the mailed link works once for its tenant, and the new password (sent only
// as HA1 by the recovery page in a real browser) replaces the old one and revokes refresh tokens.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { launchBrowser } from "./support/browser.ts";
import { ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { login, obtainTokens, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;
let acme: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({ args: ["--smtp-url", smtp.url, "--smtp-from", "noreply@sigil.test"] });
  p = await provision(server);
  acme = await provision(server, "acme.localhost");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const post = (name: string, body: Record<string, string>, host = "localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { host, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

async function requestLink(email = "alice@example.org", host = "localhost") {
  expect((await post("recover-start", { email }, host)).status).toBe(200);
  const mail = await smtp.next(email);
  const link = /(http:\/\/[^\s"<]+\/recover\.html#token=[A-Za-z0-9._-]+)/.exec(mail.text)?.[1];
  if (!link) throw new Error(`no link in:\n${mail.text}`);
  return { link, token: new URL(link).hash.slice("#token=".length) };
}

test("recover-start answers byte for byte the same for a known and an unknown address", async () => {
  const known = await post("recover-start", { email: "alice@example.org" });
  const unknown = await post("recover-start", { email: "nobody@example.org" });
  expect(known.status).toBe(200);
  expect(unknown.status).toBe(known.status);
  expect(unknown.headers.get("content-type")).toBe(known.headers.get("content-type"));
  expect(await unknown.text()).toBe(await known.text());
  await smtp.next("alice@example.org");
  await Bun.sleep(200);
  expect(smtp.messages.some((m) => m.to.includes("nobody@example.org"))).toBe(false);
});

test("the mailed link points at the tenant's own origin, port included", async () => {
  const { link } = await requestLink("alice@example.org", "acme.localhost");
  expect(link.startsWith(`${server.origin("acme.localhost")}/recover.html#token=`)).toBe(true);
});

test("in a real browser the new password replaces the old one, and refresh tokens are revoked", async () => {
  const before = await obtainTokens(server, p);
  const { link } = await requestLink();
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const bodies: string[] = [];
    page.on("request", (request) => void bodies.push(request.postData() ?? ""));
    await page.goto(link);
    await page.getByLabel("New password").fill("looking-glass-7");
    await page.getByLabel("Confirm password").fill("looking-glass-7");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(/\/login\.html\?recovered=1$/);
    await page.getByText("Your password was changed").waitFor();
    expect(bodies.join("")).not.toContain("looking-glass-7");
    expect(bodies.some((b) => /"new_ha1":"[0-9a-f]{32}"/.test(b))).toBe(true);
  } finally {
    await browser.close();
  }
  const refreshed = await tokenRequest(server, p, { grant_type: "refresh_token", refresh_token: before.tokens.refresh_token });
  expect(refreshed.status).toBe(400);
  const { returnTo } = await startAuthorization(server, p);
  expect((await login(server, p, returnTo, p.password)).status).toBe(401);
  expect((await login(server, p, returnTo, "looking-glass-7")).status).toBe(200);
  p = { ...p, password: "looking-glass-7" };
}, 30_000);

test("a recovery token works once, and never with a malformed or all-zeros HA1", async () => {
  const { token } = await requestLink();
  const fresh = ha1("alice", "localhost", "third-password-3");
  expect((await post("recover-finish", { token, new_ha1: "0".repeat(32) })).status).toBe(400);
  expect((await post("recover-finish", { token, new_ha1: "xyz" })).status).toBe(400);
  const first = await post("recover-finish", { token, new_ha1: fresh });
  expect(first.status).toBe(200);
  expect(((await first.json()) as { redirect: string }).redirect).toBe("/login.html?recovered=1");
  const again = await post("recover-finish", { token, new_ha1: ha1("alice", "localhost", "fourth-password-4") });
  expect(again.status).toBe(400);
  expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
  p = { ...p, password: "third-password-3" };
});

test("a recovery token from another tenant is refused", async () => {
  const { token } = await requestLink("alice@example.org", "acme.localhost");
  const answer = await post("recover-finish", { token, new_ha1: ha1("alice", "localhost", "stolen-pass-5") });
  expect(answer.status).toBe(400);
  const { returnTo } = await startAuthorization(server, p);
  expect((await login(server, p, returnTo, "stolen-pass-5")).status).toBe(401);
  void acme;
});

test("recover-start is rate-limited per address", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await post("recover-start", { email: "limited@example.org" })).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
});
