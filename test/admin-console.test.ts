// The admin console at /admin/ in headless Chromium: reached from the first-admin set-up, signed in
// through the real sign-in page, driving only the admin API; what it makes is checked from outside
// (the CLI, the token endpoint, an openid-client relying party), never by reading the console back.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { adminCall } from "./support/admin-api.ts";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { addUser, provision, type Provisioned } from "./support/fixtures.ts";
import { discoverRelyingParty, signInThroughRp } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

const ADMIN_PASSWORD = "first-admin-pw-42";
let server: SigilServer;
let p: Provisioned;
let browser: Browser;
/** The tab the admin signed in with (its sessionStorage holds the console's token). */
let consolePage: Page;
let origin: string;
/** The secret the console showed when it created `console-rp`. */
let firstSecret = "";
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];
const setCookies: string[] = [];

function watch(page: Page): Page {
  page.on("console", (message) => {
    // Chromium asks every site for /favicon.ico by itself, and Sigil serves none: not the pages' doing.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if ((url.protocol === "http:" || url.protocol === "https:") && url.origin !== origin) foreignRequests.push(request.url());
  });
  page.on("response", async (response) => {
    const cookie = await response.headerValue("set-cookie");
    if (cookie !== null) setCookies.push(cookie);
  });
  return page;
}

/** Nothing went to another origin, no cookie was set, and the only console errors are Chromium's notes of the API answers the test provoked. */
function expectClean(expectedStatuses: number[] = []): void {
  const unexpected = consoleErrors.filter((text) => !expectedStatuses.some((status) => text.includes(`status of ${status}`)));
  consoleErrors.length = 0;
  expect(unexpected).toEqual([]);
  expect(foreignRequests).toEqual([]);
  expect(setCookies).toEqual([]);
}

async function signInAtLoginPage(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const userNames = async () => (await server.cliOk(["user", "list", "localhost"])).split("\n").map((line) => line.split("\t")[0]);

beforeAll(async () => {
  server = await startSigil();
  origin = server.origin();
  p = await provision(server);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

test("/admin/ and /admin serve the console page under the strict CSP, with no inline script or style", async () => {
  for (const path of ["/admin/", "/admin"]) {
    const response = await server.fetch(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/admin.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);
  }
  const script = await server.fetch("/admin.js");
  expect(script.status).toBe(200);
  expect(await script.text()).toContain("sigil-admin");
});

test("the first-admin set-up leads to the console, which signs the admin in through the sign-in page", async () => {
  expect(server.setupLink).not.toBeNull();
  consolePage = watch(await browser.context.newPage());
  await consolePage.goto(server.setupLink!);
  await consolePage.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await consolePage.getByLabel("Confirm password").fill(ADMIN_PASSWORD);
  await consolePage.getByRole("button", { name: "Set password" }).click();
  await consolePage.getByRole("link", { name: "Open the admin console" }).click();
  await consolePage.waitForURL(/\/login\.html/);
  await signInAtLoginPage(consolePage, "admin", ADMIN_PASSWORD);
  await consolePage.getByRole("heading", { name: "Users", exact: true }).waitFor({ state: "visible" });
  expect(consolePage.url()).toBe(`${origin}/admin/`);
  await consolePage.locator("#user-table").getByRole("button", { name: "alice" }).waitFor();
  expect(await consolePage.locator("#console-user").textContent()).toBe("Signed in as admin");
  expect(await consolePage.evaluate(() => sessionStorage.getItem("sigil.admin.session"))).toContain("accessToken");
  expect(await consolePage.evaluate(() => document.cookie)).toBe("");
  expectClean();
}, 60_000);

test("an admin creates a user and a confidential client, sets a group, and that user signs in at that client with the group in the id_token", async () => {
  const page = consolePage;
  await page.locator("#new-user-username").fill("bob");
  await page.locator("#new-user-email").fill("bob@example.org");
  await page.locator("#new-user-password").fill("bob-password-1");
  await page.locator("#new-user-confirm").fill("bob-password-1");
  await page.getByRole("button", { name: "Create user" }).click();
  await page.locator("#notice").getByText("User bob was created.").waitFor();
  await page.locator("#user-table").getByRole("button", { name: "bob" }).click();
  await page.locator("#user-edit-groups").fill("auditors");
  await page.locator("#user-edit-form").getByRole("button", { name: "Save changes" }).click();
  await page.locator("#notice").getByText("bob was saved.").waitFor();

  await page.getByRole("link", { name: "Clients" }).click();
  await page.locator("#new-client-id").fill("console-rp");
  await page.locator("#new-client-redirect-uris").fill(p.redirectUri);
  await page.getByRole("button", { name: "Create client" }).click();
  const secretValue = page.locator("#secret-value");
  await page.getByRole("heading", { name: "Save this secret now" }).waitFor({ state: "visible" });
  const secret = (await secretValue.textContent()) ?? "";
  expect(secret.length).toBeGreaterThan(20);
  firstSecret = secret;

  // Shown once: gone from the page once saved, and not shown when the client is opened again.
  await page.getByRole("button", { name: "I have saved it" }).click();
  expect(await page.locator("#secret-panel").isHidden()).toBe(true);
  await page.locator("#client-table").getByRole("button", { name: "console-rp" }).click();
  await page.getByRole("heading", { name: "Client console-rp (confidential)" }).waitFor();
  expect(await page.content()).not.toContain(secret);

  const rp = await discoverRelyingParty(server, { ...p, clientId: "console-rp", clientSecret: secret, username: "bob", password: "bob-password-1" }, "confidential");
  const { tokens } = await signInThroughRp(rp, { ...p, clientId: "console-rp", clientSecret: secret, username: "bob", password: "bob-password-1" });
  const claims = tokens.claims()!;
  expect(claims.preferred_username).toBe("bob");
  expect(claims.groups).toContain("auditors");
  expectClean();
}, 60_000);

test("rotating a secret and deleting a user ask first: cancel leaves things as they were, confirm does it", async () => {
  const page = consolePage;
  const revokeWith = async (secret: string) => (await server.fetch("/oauth2/v1/revoke", {
    method: "POST", headers: { authorization: `Basic ${btoa(`console-rp:${secret}`)}`, "content-type": "application/x-www-form-urlencoded" }, body: "token=unknown",
  })).status;
  await page.getByRole("link", { name: "Clients" }).click();
  await page.locator("#client-table").getByRole("button", { name: "console-rp" }).click();
  await page.getByRole("button", { name: "Rotate the secret" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor({ state: "visible" });
  expect(await dialog.textContent()).toContain("stops working at once");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  expect(await page.locator("#secret-panel").isHidden()).toBe(true);

  await page.getByRole("button", { name: "Rotate the secret" }).click();
  await dialog.getByRole("button", { name: "Rotate the secret" }).click();
  await page.getByRole("heading", { name: "Save this secret now" }).waitFor({ state: "visible" });
  const rotated = (await page.locator("#secret-value").textContent()) ?? "";
  expect(rotated.length).toBeGreaterThan(20);
  expect(await revokeWith(rotated)).toBe(200);
  expect(await revokeWith(firstSecret)).toBe(401);
  await page.getByRole("button", { name: "I have saved it" }).click();

  await addUser(server, "localhost", "carol", "carol-password-1");
  await page.getByRole("link", { name: "Users" }).click();
  await page.locator("#user-search-username").fill("carol");
  await page.locator("#user-search").getByRole("button", { name: "Search" }).click();
  await page.locator("#user-table").getByRole("button", { name: "carol" }).click();
  await page.getByRole("button", { name: "Delete user" }).click();
  await dialog.waitFor({ state: "visible" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  expect(await userNames()).toContain("carol");

  await page.getByRole("button", { name: "Delete user" }).click();
  await dialog.getByRole("button", { name: "Delete user" }).click();
  await page.locator("#notice").getByText("carol was deleted.").waitFor();
  expect(await userNames()).not.toContain("carol");
  expectClean();
}, 60_000);

test("an API error is shown beside the field the API names", async () => {
  const page = consolePage;
  await page.locator("#new-user-username").fill("alice");
  await page.locator("#new-user-password").fill("another-password");
  await page.locator("#new-user-confirm").fill("another-password");
  await page.getByRole("button", { name: "Create user" }).click();
  const problem = page.locator("#new-user-username-problem");
  await problem.waitFor();
  expect(await problem.textContent()).toContain("already exists");
  expect(await page.locator("#new-user-username").getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#new-user-username").getAttribute("aria-describedby")).toContain("new-user-username-problem");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("new-user-username");
  expectClean([409]);
}, 60_000);

test("keyboard only: Tab reaches the create-user form in page order, and Enter submits it", async () => {
  const page = consolePage;
  await page.goto("about:blank"); // A fresh load: the same URL with only a new fragment would not reload.
  await page.goto(`${origin}/admin/#users`);
  await page.locator("#user-table").getByRole("button", { name: "alice" }).waitFor();
  let presses = 0;
  while ((await page.evaluate(() => document.activeElement?.id)) !== "new-user-username") {
    await page.keyboard.press("Tab");
    if (++presses > 80) throw new Error("Tab never reached the new user's username");
  }
  await page.keyboard.type("dave");
  const order: string[] = [];
  for (const value of ["Dave Keys", "dave@example.org", "", "", "", "dave-password-1", "dave-password-1"]) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement?.getAttribute("name") ?? ""));
    if (value) await page.keyboard.type(value);
  }
  expect(order).toEqual(["name", "email", "role", "groups", "mode", "password", "confirm"]);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Create user");
  await page.keyboard.press("Enter");
  await page.locator("#notice").getByText("User dave was created.").waitFor();
  expect(await userNames()).toContain("dave");
  expectClean();
}, 60_000);

test("the account page links admins to the console", async () => {
  const page = consolePage;
  await page.goto(`${origin}/account.html`);
  await page.getByRole("heading", { name: "Profile" }).waitFor({ state: "visible" }).catch(async () => {
    await signInAtLoginPage(page, "admin", ADMIN_PASSWORD);
    await page.getByRole("heading", { name: "Profile" }).waitFor({ state: "visible" });
  });
  await page.getByRole("link", { name: "Open the admin console" }).click();
  await page.getByRole("heading", { name: "Users", exact: true }).waitFor({ state: "visible" });
  expect(page.url()).toBe(`${origin}/admin/`);
  expectClean();
}, 60_000);

test("the settings pages rotate the signing key after confirmation, save the tenant's name and show the realm as fixed", async () => {
  const page = consolePage;
  const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem("sigil.admin.session") ?? "{}") as { accessToken?: string }).accessToken ?? "");
  const kids = async () => ((await adminCall(server, token, "GET", "/keys")).body.items ?? []).map((key) => key.kid);
  const before = await kids();
  await page.getByRole("link", { name: "Signing keys" }).click();
  await page.locator("#key-table tbody tr").first().waitFor();
  await page.getByRole("button", { name: "Rotate the signing key" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate the signing key" }).click();
  await page.locator("#notice").getByText("The new signing key is").waitFor();
  const after = await kids();
  expect(after.length).toBe(before.length + 1);
  expect(await page.locator("#key-table tbody tr").count()).toBe(after.length);

  await page.getByRole("link", { name: "Tenant" }).click();
  expect(await page.locator("#tenant-realm").getAttribute("readonly")).not.toBeNull();
  await page.locator("#tenant-display-name").fill("Acme Login");
  await page.getByRole("button", { name: "Save tenant settings" }).click();
  await page.locator("#notice").getByText("The tenant settings were saved.").waitFor();
  expect((await adminCall(server, token, "GET", "/tenant")).body.display_name).toBe("Acme Login");

  await page.getByRole("link", { name: "EU Wallet verifier" }).click();
  await page.locator("#verifier-facts").getByText("None installed").waitFor();
  await page.locator("#verifier-dcql").fill("{not json");
  await page.getByRole("button", { name: "Save verifier settings" }).click();
  await page.locator("#verifier-dcql-problem").waitFor();
  expect(await page.locator("#verifier-dcql-problem").textContent()).toBe("This is not JSON.");
  expectClean();
}, 60_000);

test("the audit trail lists the console's changes and charts sign-ins per day by method", async () => {
  const page = consolePage;
  await page.getByRole("link", { name: "Audit trail" }).click();
  await page.locator("#audit-table").getByText("admin.change").first().waitFor();
  const bars = page.locator("#audit-chart svg rect");
  await bars.first().waitFor();
  const titles = await bars.evaluateAll((rects) => rects.map((rect) => rect.querySelector("title")?.textContent ?? ""));
  expect(titles.some((title) => title.includes("pwd") && title.includes("sign-ins"))).toBe(true);
  await page.locator("#audit-event").fill("admin.change");
  await page.locator("#audit-user").fill("dave");
  await page.locator("#audit-filter").getByRole("button", { name: "Filter" }).click();
  // Until the filtered page arrives the table still shows every event; a filter that did nothing never gets here.
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll("#audit-table tbody tr td:nth-child(2)")];
    return cells.length > 0 && cells.every((cell) => cell.textContent === "admin.change");
  }, undefined, { timeout: 10_000 });
  const details = await page.locator("#audit-table tbody tr td:nth-child(5)").allTextContents();
  expect(details.some((text) => text.includes("action: user.add"))).toBe(true);
  expect((await page.locator("#audit-table tbody tr td:nth-child(3)").allTextContents()).every((text) => text.includes("dave"))).toBe(true);
  expectClean();
}, 60_000);

test("a user who is not an admin sees that they are not an admin of this tenant", async () => {
  // Another browser: this one's single sign-on belongs to the admin.
  const other = await launchBrowser();
  try {
    const page = watch(await other.context.newPage());
    await page.goto(`${origin}/admin/`);
    await page.waitForURL(/\/login\.html/);
    await signInAtLoginPage(page, p.username, p.password);
    await page.getByRole("heading", { name: "You are not an admin of this tenant" }).waitFor({ state: "visible" });
    expect(await page.locator("#not-admin-user").textContent()).toBe("alice");
    expect(await page.locator("#users").isHidden()).toBe(true);
    expect(await page.locator("#console-nav").isHidden()).toBe(true);
    expect(await page.locator("#error").textContent()).toBe("");
    expectClean([403]);

    await page.getByRole("link", { name: "Go to your account" }).click();
    await page.getByRole("heading", { name: "Profile" }).waitFor({ state: "visible" });
    expect(await page.locator("#profile-role").textContent()).toBe("user");
    expect(await page.getByRole("link", { name: "Open the admin console" }).isHidden()).toBe(true);
    expectClean();
  } finally {
    await other.close();
  }
}, 60_000);
