// In headless Chromium: an openid-client relying party starts a sign-in, the page shows the EU
// Wallet QR code (a cross-device transaction) and a button that opens the wallet on this device (a
// same-device one), the test wallet answers, and the relying party receives the disclosed PID
// claims. A rejected answer is shown on the page with a way to try again. The page a linking
// wallet opens asks its owner before anything is linked.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { buildAuthorization, discoverRelyingParty, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { createTestIssuer, pidClaims, type TestIssuer } from "./support/wallet/test-issuer.ts";
import { accountToken } from "./support/totp.ts";
import { redirectFragment, walletFlow } from "./support/wallet/sign-in-flow.ts";
import { createTestWallet, presentToVerifier, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let rp: RelyingParty;
let browser: Browser;
let wallet: TestWallet;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer();
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

/** The wallet URL a wallet-start the page makes is answered with (what its QR code or its wallet link carry). */
async function walletUrlOfNextStart(page: import("playwright-core").Page, flow: "cross_device" | "same_device") {
  const response = await page.waitForResponse((r) => r.url().includes("/oauth2/v1/wallet-start") && (r.request().postDataJSON() as { flow?: string }).flow === flow);
  expect(response.status()).toBe(201);
  return ((await response.json()) as { wallet_url: string }).wallet_url;
}

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
  const started = walletUrlOfNextStart(page, "cross_device");
  await page.goto(`${page.url()}&method=eu-wallet`);
  await page.getByRole("img", { name: "QR code for your EU Wallet" }).waitFor();
  const walletUrl = await started;
  expect(walletUrl).toStartWith("openid4vp://?client_id=x509_hash%3A");
  return { page, pending, walletUrl };
}

/** "Open the wallet on this device": a same-device transaction of its own, whose wallet URL the page opens. */
async function openSameDevice(page: import("playwright-core").Page) {
  const started = walletUrlOfNextStart(page, "same_device");
  await page.getByRole("button", { name: "Open the wallet on this device" }).click();
  const walletUrl = await started;
  // Where no wallet app takes the URL, the page offers it as a link.
  await page.getByRole("link", { name: /open it with this link/ }).waitFor();
  expect(await page.getByRole("link", { name: /open it with this link/ }).getAttribute("href")).toBe(walletUrl);
  return walletUrl;
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
  const restarted = walletUrlOfNextStart(page, "cross_device");
  await page.getByRole("button", { name: "Try again" }).click();
  await page.getByRole("img", { name: "QR code for your EU Wallet" }).waitFor();
  const fresh = await restarted;
  expect(fresh).not.toBe(walletUrl);
  expect((await presentToVerifier(wallet, fresh, { fetch })).status).toBe(200);
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  await page.close();
}, 30_000);

test("same-device: the wallet sends this browser back with a response_code, the sign-in completes in the new tab, and the first tab says so", async () => {
  const { page, pending } = await openWalletMethod({ pausedClock: true });
  // The tab that opened the wallet stays open behind the wallet app, its polling held by the paused
  // clock so that the returning tab finishes first; its secret is in this browser's storage.
  const walletUrl = await openSameDevice(page);
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
  const { page } = await openWalletMethod();
  const walletUrl = await openSameDevice(page);
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

test("the page a linking wallet opens names the account and links only on 'Link'; 'Cancel' links nothing", async () => {
  const flow = walletFlow(server, p);
  const token = await accountToken(server, p);
  // A person of their own: the PID the tests above present already signs in to the account they made.
  const linking = await createTestWallet(issuer, { claims: pidClaims({ personal_administrative_number: "LINK-0001" }) });
  for (const choice of ["Cancel", "Link"] as const) {
    const link = await flow.startLink(token);
    const presented = await presentToVerifier(linking, link.wallet_url, { fetch });
    const { url } = redirectFragment(presented.response);
    const page = await browser.context.newPage();
    await page.goto(url.href);
    await page.getByText(`Link this EU Wallet to the account ${p.username} at localhost?`).waitFor();
    // The response_code is not left in the address bar or the history.
    expect(page.url()).toBe(`${server.origin()}/wallet-link.html`);
    expect((await flow.finishLink(token, link)).status).toBe(202);
    await page.getByRole("button", { name: choice }).click();
    await page.getByRole("status").filter({ hasText: choice === "Link" ? "Confirmed" : "Nothing was linked" }).waitFor();
    const finished = await flow.finishLink(token, link);
    expect(finished.status).toBe(choice === "Link" ? 200 : 403);
    await page.close();
  }
  const me = (await (await server.fetch("/account/v1/me", { headers: { authorization: `Bearer ${token}` } })).json()) as { wallets_linked: number };
  expect(me.wallets_linked).toBe(1);
}, 30_000);
