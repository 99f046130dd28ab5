// The account page signs in as the built-in public client through the ordinary code flow,
// keeps its token in sessionStorage, and its API refuses tokens issued to other clients.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { obtainCode, obtainTokens, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let browser: Browser;
const setCookies: string[] = [];

beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  browser = await launchBrowser();
  browser.context.on("response", async (response) => {
    const cookie = await response.headerValue("set-cookie");
    if (cookie !== null) setCookies.push(cookie);
  });
});
afterAll(async () => {
  await browser.close();
  await server.stop();
  removeDataDir(server.dataDir);
});

test("opening /account.html signs in through the login page and shows the profile; sign-out ends both sessions", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin()}/account.html`);
  await page.getByLabel("Username").fill(p.username);
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Profile" }).waitFor({ state: "visible" });
  expect(page.url()).toBe(`${server.origin()}/account.html`);
  expect(await page.locator("#profile-username").textContent()).toBe("alice");
  expect(await page.locator("#profile-email").textContent()).toBe("alice@example.org");
  const stored = await page.evaluate(() => sessionStorage.getItem("sigil.account.session"));
  expect(stored).toContain("accessToken");
  expect(await page.evaluate(() => document.cookie)).toBe("");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Password", { exact: true }).waitFor({ state: "visible" });
  expect(page.url()).toContain("/login.html");
  expect(await page.evaluate(() => sessionStorage.getItem("sigil.account.session"))).toBeNull();
  expect(setCookies).toEqual([]);
}, 30_000);

test("the account API refuses a missing token and a token issued to a relying party", async () => {
  const none = await server.fetch("/account/v1/me");
  expect(none.status).toBe(401);
  expect(((await none.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
  const { tokens } = await obtainTokens(server, p);
  const foreign = await server.fetch("/account/v1/me", { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(foreign.status).toBe(403);
  expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe("forbidden");
});

test("the account API answers for a token issued to the built-in account client", async () => {
  const account = { ...p, clientId: "sigil-account", redirectUri: `${server.origin()}/account.html` };
  const flow = await obtainCode(server, account);
  const response = await tokenRequest(server, account, {
    grant_type: "authorization_code", code: flow.code, redirect_uri: account.redirectUri, code_verifier: flow.pkce!.verifier, client_id: "sigil-account",
  }, "none");
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as { access_token: string };
  const me = await server.fetch("/account/v1/me", { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { username: string }).username).toBe("alice");
});

test("an operator cannot register a client that takes the account client's name", async () => {
  const result = await server.cli(["client", "add", "localhost", "sigil-account", "--redirect-uri", "https://evil.example/cb"]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain("built-in");
});
