// In headless Chromium with a CDP virtual authenticator: register a passkey on /account.html,
// sign out, sign in at an openid-client relying party with ?method=passkey, and step up from a
// password session when the relying party sends acr_values=urn:sigil:acr:hwk-mfa.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import type { Page } from "playwright-core";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { buildAuthorization, discoverRelyingParty, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { addVirtualAuthenticator, exportCredentials, type VirtualAuthenticator } from "./support/webauthn.ts";

let server: SigilServer;
let p: Provisioned;
let rp: RelyingParty;
let browser: Browser;
let page: Page;
let authenticator: VirtualAuthenticator;

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  rp = await discoverRelyingParty(server, p, "confidential");
  browser = await launchBrowser();
  await browser.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
  // One page throughout: the virtual authenticator belongs to it.
  page = await browser.context.newPage();
  authenticator = await addVirtualAuthenticator(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

/** Whether the virtual authenticator answers prompts by itself (user presence simulated). */
async function presence(enabled: boolean) {
  await authenticator.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: authenticator.authenticatorId, enabled });
}

async function callbackClaims(pending: Awaited<ReturnType<typeof buildAuthorization>>) {
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 }).catch(async (error: unknown) => {
    throw new Error(`${(error as Error).message}; page at ${page.url()} says: ${await page.locator("#error").textContent().catch(() => "?")}`);
  });
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(page.url()), {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  return tokens.claims()!;
}

test("a passkey added on the account page is listed with its name, and lives on the authenticator", async () => {
  await page.goto(`${server.origin()}/account.html`);
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Passkeys" }).waitFor();
  await page.getByLabel("Name for a new passkey").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByRole("list", { name: "Your passkeys" }).getByText("Test laptop").waitFor();
  const stored = await exportCredentials(authenticator);
  expect(stored).toHaveLength(1);
  expect(stored[0]!.rpId).toBe("localhost");
  // Sign out of the account page, with the authenticator not answering (as if nobody touched it),
  // so the sign-in page's passkey autofill request stays pending instead of signing straight back in.
  await presence(false);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Password", { exact: true }).waitFor({ state: "visible" });
}, 30_000);

test("?method=passkey signs in at the relying party with amr hwk+user and the passkey acr", async () => {
  const pending = await buildAuthorization(rp, p);
  await page.goto(pending.url.href);
  await page.waitForURL(/\/login\.html\?/);
  await page.goto(`${page.url()}&method=passkey`);
  // The passkey form shows no username field, so no autofill request is pending: the button's prompt is the only one.
  await presence(true);
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  const claims = await callbackClaims(pending);
  expect(claims.amr).toEqual(["hwk", "user"]);
  expect(claims.acr).toBe("urn:sigil:acr:hwk-mfa");
  expect((await exportCredentials(authenticator))[0]!.signCount).toBeGreaterThan(0);
}, 30_000);

test("acr_values=urn:sigil:acr:hwk-mfa after a password sign-in prompts for the passkey, and the id_token says so", async () => {
  // First a password sign-in: the browser now holds a password-strength single sign-on assertion.
  await presence(false);
  const first = await buildAuthorization(rp, p, "openid", { prompt: "login" });
  await page.goto(first.url.href);
  await page.getByRole("tab", { name: "Password" }).click();
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  expect((await callbackClaims(first)).acr).toBe("urn:sigil:acr:pwd");

  const stepUp = await buildAuthorization(rp, p, "openid", { acr_values: "urn:sigil:acr:hwk-mfa" });
  await page.goto(stepUp.url.href);
  // The password session does not meet the request: the page offers the passkey first.
  await page.getByRole("tab", { name: "Passkey", selected: true }).waitFor();
  // The passkey form shows no username field, so no autofill request is pending: the button's prompt is the only one.
  await presence(true);
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  const claims = await callbackClaims(stepUp);
  expect(claims.acr).toBe("urn:sigil:acr:hwk-mfa");
  expect(claims.amr).toEqual(["hwk", "user"]);
}, 30_000);

test("a password typed where a passkey is required points the user at the passkey", async () => {
  await presence(false);
  const stepUp = await buildAuthorization(rp, p, "openid", { acr_values: "urn:sigil:acr:hwk-mfa", prompt: "login" });
  await page.goto(stepUp.url.href);
  await page.getByRole("tab", { name: "Password" }).click();
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "passkey" }).waitFor();
  await page.getByRole("tab", { name: "Passkey", selected: true }).waitFor();
  expect(page.url()).toContain("/login.html");
}, 30_000);

test("conditional UI: the sign-in page offers the passkey through the username field's autofill request", async () => {
  // The page opens on the password form and starts an autofill (conditional mediation) request;
  // the authenticator answering by itself stands for the user picking the passkey from the
  // username field's suggestions. No passkey button is pressed.
  await presence(true);
  const pending = await buildAuthorization(rp, p, "openid", { prompt: "login" });
  await page.goto(pending.url.href);
  const claims = await callbackClaims(pending);
  expect(claims.amr).toEqual(["hwk", "user"]);
}, 30_000);

test("from a password session the account page first asks for the passkey before it may remove one", async () => {
  // A fresh password session on the account page: the browser forgets its single sign-on first.
  await presence(false);
  await page.goto(`${server.origin()}/login.html`);
  await page.evaluate(() => localStorage.removeItem("sigil.sso"));
  await page.goto(`${server.origin()}/account.html`);
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("list", { name: "Your passkeys" }).getByText("Test laptop").waitFor();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Remove Test laptop" }).click();
  // Refused for a password session: the page signs in again, asking for the passkey.
  await page.waitForURL(/\/login\.html\?/, { timeout: 15_000 });
  const authorize = new URL(new URL(page.url()).searchParams.get("return")!, server.origin()).searchParams;
  expect(authorize.get("acr_values")).toBe("urn:sigil:acr:hwk-mfa");
  expect(authorize.get("prompt")).toBe("login");
  await page.getByRole("tab", { name: "Passkey", selected: true }).waitFor();
  await presence(true);
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  await page.waitForURL(/\/account\.html$/, { timeout: 15_000 });
  // Nothing was removed by the refused request.
  await page.getByRole("list", { name: "Your passkeys" }).getByText("Test laptop").waitFor();
}, 30_000);

test("removing the passkey on the account page takes it off the list", async () => {
  await page.goto(`${server.origin()}/account.html`);
  await page.getByRole("list", { name: "Your passkeys" }).getByText("Test laptop").waitFor();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Remove Test laptop" }).click();
  await page.getByText("Passkey removed.").waitFor();
  expect(await page.getByRole("list", { name: "Your passkeys" }).getByRole("listitem").count()).toBe(0);
}, 30_000);
