// A real browser signs in through /login.html: the password never leaves it, no cookie is
// ever set, single sign-on reuses the localStorage assertion, and logout clears it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page, Request } from "playwright-core";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let browser: Browser;
const requests: Request[] = [];
const setCookies: string[] = [];

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  browser = await launchBrowser();
  // The relying party's callback is not a real server: the browser lands on a stub page.
  await browser.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
  browser.context.on("request", (request) => void requests.push(request));
  browser.context.on("response", async (response) => {
    const cookie = await response.headerValue("set-cookie");
    if (cookie !== null) setCookies.push(`${response.url()}: ${cookie}`);
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

function authorizeUrl(extra: Record<string, string> = {}) {
  const pkce = pkcePair();
  const state = crypto.randomUUID();
  const nonce = crypto.randomUUID();
  const query = new URLSearchParams({
    client_id: p.clientId, redirect_uri: p.redirectUri, response_type: "code", scope: "openid profile email",
    state, nonce, code_challenge: pkce.challenge, code_challenge_method: "S256", ...extra,
  });
  return { url: `${server.origin()}/oauth2/v1/authorize?${query}`, pkce, state, nonce };
}

async function landOnRelyingParty(page: Page) {
  await page.waitForURL(/^https:\/\/rp\.example\//, { timeout: 15_000 });
  return new URL(page.url());
}

async function exchange(callback: URL, verifier: string) {
  const response = await tokenRequest(server, p, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: p.redirectUri, code_verifier: verifier });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { id_token: string };
  return JSON.parse(Buffer.from(body.id_token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}

/** Lands on the relying party, signing in first if the page asks for a password (no single sign-on yet). */
async function reachRelyingParty(page: Page) {
  const password = page.getByLabel("Password", { exact: true });
  await Promise.race([page.waitForURL(/^https:\/\/rp\.example\//, { timeout: 15_000 }), password.waitFor({ state: "visible", timeout: 15_000 })]);
  if (!page.url().startsWith("https://rp.example/")) await signInWithPassword(page);
  return landOnRelyingParty(page);
}

async function signInWithPassword(page: Page, password = p.password) {
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("signs in through /login.html sending only the HA1, and single sign-on reuses the authentication", async () => {
  const page = await browser.context.newPage();
  const first = authorizeUrl();
  await page.goto(first.url);
  await signInWithPassword(page);
  const callback = await landOnRelyingParty(page);
  expect(callback.searchParams.get("state")).toBe(first.state);
  expect(callback.searchParams.get("iss")).toBe(server.origin());
  const claims = await exchange(callback, first.pkce.verifier);
  expect(claims.amr).toEqual(["pwd"]);
  expect(claims.nonce).toBe(first.nonce);

  const loginPosts = requests.filter((r) => r.method() === "POST" && r.url().includes("/oauth2/v1/login"));
  expect(loginPosts.length).toBeGreaterThan(0);
  for (const request of requests) expect(request.postData() ?? "").not.toContain(p.password);
  const body = JSON.parse(loginPosts[0]!.postData()!) as Record<string, string>;
  expect(body.ha1).toMatch(/^[0-9a-f]{32}$/);
  expect(Object.keys(body).sort()).toEqual(["ha1", "return", "user"]);

  // Second relying-party visit: no password asked, same auth_time.
  const second = authorizeUrl();
  await page.goto(second.url);
  const again = await landOnRelyingParty(page);
  const secondClaims = await exchange(again, second.pkce.verifier);
  expect(secondClaims.sub).toBe(claims.sub);
  expect(secondClaims.auth_time).toBe(claims.auth_time);
  expect(await page.evaluate(() => document.cookie)).toBe("");
  await page.close();
});

test("prompt=login and max_age force a new sign-in with a later auth_time", async () => {
  const page = await browser.context.newPage();
  const first = authorizeUrl();
  await page.goto(first.url);
  const before = await exchange(await reachRelyingParty(page), first.pkce.verifier);
  await Bun.sleep(1100);
  const forcings: Record<string, string>[] = [{ prompt: "login" }, { max_age: "0" }];
  for (const extra of forcings) {
    const forced = authorizeUrl(extra);
    await page.goto(forced.url);
    await page.getByLabel("Password", { exact: true }).waitFor({ state: "visible" });
    await signInWithPassword(page);
    const after = await exchange(await landOnRelyingParty(page), forced.pkce.verifier);
    expect(Number(after.auth_time)).toBeGreaterThan(Number(before.auth_time));
    await Bun.sleep(1100);
  }
  await page.close();
});

test("a wrong password keeps the user on the page with a message", async () => {
  const fresh = await launchBrowser();
  try {
    const page = await fresh.context.newPage();
    await page.goto(authorizeUrl().url);
    await signInWithPassword(page, "not-the-password");
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: /wrong username or password/i }).waitFor({ state: "visible" });
    expect(page.url()).toContain("/login.html");
  } finally {
    await fresh.close();
  }
});

test("prompt=none without a session returns login_required to the relying party", async () => {
  const fresh = await launchBrowser();
  try {
    await fresh.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, body: "rp" }));
    const page = await fresh.context.newPage();
    const request = authorizeUrl({ prompt: "none" });
    await page.goto(request.url);
    const callback = await landOnRelyingParty(page);
    expect(callback.searchParams.get("error")).toBe("login_required");
    expect(callback.searchParams.get("state")).toBe(request.state);
    expect(callback.searchParams.has("code")).toBe(false);
  } finally {
    await fresh.close();
  }
});

test("logout clears the single sign-on and returns to the registered URI with state", async () => {
  const page = await browser.context.newPage();
  const signIn = authorizeUrl();
  await page.goto(signIn.url);
  const callback = await reachRelyingParty(page);
  const response = await tokenRequest(server, p, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: p.redirectUri, code_verifier: signIn.pkce.verifier });
  const { id_token } = (await response.json()) as { id_token: string };

  const logout = new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: p.postLogoutRedirectUri, state: "bye-1" });
  await page.goto(`${server.origin()}/oauth2/v1/end_session?${logout}`);
  await page.waitForURL(/^https:\/\/rp\.example\/logged-out/);
  expect(new URL(page.url()).searchParams.get("state")).toBe("bye-1");

  const silent = authorizeUrl({ prompt: "none" });
  await page.goto(silent.url);
  const after = await landOnRelyingParty(page);
  expect(after.searchParams.get("error")).toBe("login_required");
  await page.close();
});

test("no response in any of these flows set a cookie", () => {
  expect(requests.length).toBeGreaterThan(10);
  expect(setCookies).toEqual([]);
});
