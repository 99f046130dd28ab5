// In a real browser: a user sets up an authenticator app on /account.html, then signs in at an
// openid-client relying party with password + code, with a recovery code, and with an emailed code.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import type { Page } from "playwright-core";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { buildAuthorization, discoverRelyingParty, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";
import { oathtoolCode } from "./support/totp.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;
let rp: RelyingParty;
let browser: Browser;
let secret = "";
let recoveryCodes: string[] = [];
let enrolledAt = 0;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({ args: ["--smtp-url", smtp.url] });
  p = await provision(server);
  rp = await discoverRelyingParty(server, p, "confidential");
  browser = await launchBrowser();
  await browser.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
  await smtp?.close();
});

/** Starts an openid-client authorization in the page and gets through the password step. */
async function passwordStep(page: Page) {
  // prompt=login: each walk signs in afresh instead of reusing the single sign-on assertion.
  const pending = await buildAuthorization(rp, p, "openid profile email", { prompt: "login" });
  await page.goto(pending.url.href);
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Two-step verification" }).waitFor();
  return pending;
}

async function finishAtRelyingParty(page: Page, pending: Awaited<ReturnType<typeof buildAuthorization>>) {
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(page.url()), {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  return tokens.claims()!;
}

test("the account page sets up an authenticator app with a code from it, and shows eight recovery codes once", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin()}/account.html`);
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
  secret = ((await page.locator("#totp-secret").textContent()) ?? "").replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // A wrong code is refused with a message, and nothing is turned on.
  await page.getByLabel("Code from your app").fill("000000" === (await oathtoolCode(secret)) ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.getByRole("alert").filter({ hasText: "not right" }).waitFor();
  enrolledAt = Math.floor(Date.now() / 1000);
  await page.getByLabel("Code from your app").fill(await oathtoolCode(secret, enrolledAt));
  await page.getByRole("button", { name: "Turn on" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await list.waitFor();
  recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((code) => code.trim());
  expect(recoveryCodes).toHaveLength(8);
  expect(await page.locator("#totp-status").textContent()).toContain("8 recovery codes left");
  await page.close();
}, 30_000);

test("password then the authenticator app's code signs in at the relying party with amr pwd+otp", async () => {
  expect(secret).not.toBe("");
  const page = await browser.context.newPage();
  const pending = await passwordStep(page);
  await page.getByLabel("Authentication code").fill(await oathtoolCode(secret, Math.max(enrolledAt, Math.floor(Date.now() / 1000)) + 30));
  await page.getByRole("button", { name: "Verify" }).click();
  const claims = await finishAtRelyingParty(page, pending);
  expect(claims.amr).toEqual(["pwd", "otp"]);
  expect(claims.acr).toBe("urn:sigil:acr:pwd-otp");
  expect(claims.sub).toBeString();
  await page.close();
}, 30_000);

test("a recovery code signs in instead of the app's code, and a wrong one is explained", async () => {
  const page = await browser.context.newPage();
  const pending = await passwordStep(page);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill("zzzzz-zzzzz");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("alert").filter({ hasText: "4 attempts left" }).waitFor();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  const claims = await finishAtRelyingParty(page, pending);
  expect(claims.amr).toEqual(["pwd", "otp"]);
  await page.close();
}, 30_000);

test("'Email me a code' sends a six-digit code that finishes the sign-in", async () => {
  const page = await browser.context.newPage();
  const pending = await passwordStep(page);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await page.getByLabel("Code from the email").waitFor();
  const mail = await smtp.next("alice@example.org");
  const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  const claims = await finishAtRelyingParty(page, pending);
  expect(claims.amr).toEqual(["pwd", "otp"]);
  await page.close();
}, 30_000);

test("a mailed sign-in link still asks for the app's code, and reports both factors", async () => {
  const page = await browser.context.newPage();
  const pending = await buildAuthorization(rp, p, "openid profile email", { prompt: "login" });
  await page.goto(pending.url.href);
  await page.getByRole("tab", { name: "Email me a sign-in link" }).click();
  await page.getByLabel("Email", { exact: true }).fill("alice@example.org");
  await page.getByRole("button", { name: "Send me the link" }).click();
  const mail = await smtp.next("alice@example.org");
  await page.goto(/(http:\/\/\S+#token=[A-Za-z0-9._-]+)/.exec(mail.text)![1]!);
  await page.getByRole("heading", { name: "Two-step verification" }).waitFor();
  // The link came by email: an emailed code cannot be its second step.
  expect(await page.getByRole("button", { name: "Email me a code" }).isVisible()).toBe(false);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[1]!);
  await page.getByRole("button", { name: "Verify" }).click();
  const claims = await finishAtRelyingParty(page, pending);
  expect(claims.amr).toEqual(["user", "otp"]);
  expect(claims.acr).toBe("urn:sigil:acr:email-otp");
  await page.close();
}, 30_000);

test("five wrong codes send the browser back to the password", async () => {
  const page = await browser.context.newPage();
  await passwordStep(page);
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByLabel("Authentication code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    if (attempt < 4) await page.getByRole("alert").filter({ hasText: `${4 - attempt} attempt` }).waitFor();
  }
  await page.getByRole("alert").filter({ hasText: "Start again with your password" }).waitFor();
  await page.getByLabel("Password", { exact: true }).waitFor({ state: "visible" });
  expect(await page.getByRole("heading", { name: "Two-step verification" }).isVisible()).toBe(false);
  await page.close();
}, 30_000);
