// In headless Chromium: an openid-client relying party starts a sign-in, the page shows the EU
// Wallet QR code and same-device link, the test wallet answers, and the relying party receives
// the disclosed PID claims. A rejected answer is shown on the page with a way to try again.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { buildAuthorization, discoverRelyingParty, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { createTestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let rp: RelyingParty;
let browser: Browser;
let wallet: TestWallet;

beforeAll(async () => {
  const issuer = await createTestIssuer();
  wallet = await createTestWallet(issuer);
  server = await startSigil();
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  rp = await discoverRelyingParty(server, p, "confidential");
  browser = await launchBrowser();
  await browser.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

async function openWalletMethod(options: { pausedClock?: boolean } = {}) {
  // prompt=login: a fresh sign-in each time, whatever single sign-on the browser holds from the last test.
  const pending = await buildAuthorization(rp, p, "openid profile", { prompt: "login" });
  const page = await browser.context.newPage();
  // A paused clock holds the page's polling until the test lets time run.
  if (options.pausedClock) {
    await page.clock.install();
    await page.clock.pauseAt(new Date(Date.now() + 1_000));
  }
  await page.goto(pending.url.href);
  await page.waitForURL(/\/login\.html\?/);
  await page.goto(`${page.url()}&method=eu-wallet`);
  await page.getByRole("img", { name: "QR code for your EU Wallet" }).waitFor();
  const walletUrl = await page.getByRole("link", { name: "Open the wallet on this device" }).getAttribute("href");
  expect(walletUrl).toStartWith("openid4vp://?client_id=x509_hash%3A");
  return { page, pending, walletUrl: walletUrl! };
}

test("?method=eu-wallet shows the QR code; the wallet answers and the relying party gets the PID claims", async () => {
  const { page, pending, walletUrl } = await openWalletMethod();
  expect((await presentToVerifier(wallet, walletUrl, { fetch })).status).toBe(200);
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(page.url()), {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  const claims = tokens.claims()!;
  expect(claims).toMatchObject({ given_name: "Erika", family_name: "Mustermann", acr: "urn:sigil:acr:eudi-wallet", amr: ["hwk", "user"] });
  expect(claims.birthdate).toBeDefined();
  const userinfo = await client.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
  expect(userinfo.family_name).toBe("Mustermann");
  await page.close();
}, 30_000);

test("a rejected answer is shown on the page, and 'Try again' starts a new request", async () => {
  const { page, walletUrl } = await openWalletMethod();
  expect((await presentToVerifier(wallet, walletUrl, { fetch, switches: ["wrongNonce"] })).status).toBe(400);
  await page.getByRole("alert").filter({ hasText: "not accepted" }).waitFor({ timeout: 10_000 });
  await page.getByRole("button", { name: "Try again" }).click();
  await page.getByRole("img", { name: "QR code for your EU Wallet" }).waitFor();
  const fresh = await page.getByRole("link", { name: "Open the wallet on this device" }).getAttribute("href");
  expect(fresh).not.toBe(walletUrl);
  expect((await presentToVerifier(wallet, fresh!, { fetch })).status).toBe(200);
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  await page.close();
}, 30_000);

test("same-device: the wallet sends this browser back with a response_code, the sign-in completes in the new tab, and the first tab says so", async () => {
  const { page, pending, walletUrl } = await openWalletMethod({ pausedClock: true });
  // The tab that showed the link stays open behind the wallet app, its polling held by the paused
  // clock so that the returning tab finishes first; its secret is in this browser's storage.
  const presented = await presentToVerifier(wallet, walletUrl, { fetch });
  const redirectUri = (presented.response as { redirect_uri: string }).redirect_uri;
  expect(redirectUri).toContain("#wallet_transaction=");
  const back = await browser.context.newPage();
  await back.goto(redirectUri);
  await back.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(back.url()), {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  expect(tokens.claims()!.acr).toBe("urn:sigil:acr:eudi-wallet");
  await back.close();
  // When the first tab polls again, it tells the user where the sign-in went.
  await page.clock.runFor(2_000);
  await page.getByText("signed in in another tab").waitFor({ timeout: 10_000 });
  await page.close();
}, 30_000);

test("a response_code opened in another browser does not sign in there", async () => {
  const { page, walletUrl } = await openWalletMethod();
  await page.close();
  const presented = await presentToVerifier(wallet, walletUrl, { fetch });
  const other = await launchBrowser();
  try {
    const stranger = await other.context.newPage();
    await stranger.goto((presented.response as { redirect_uri: string }).redirect_uri);
    await stranger.getByText("started in another browser").waitFor();
    expect(stranger.url()).toStartWith(server.origin());
  } finally {
    await other.close();
  }
}, 30_000);
