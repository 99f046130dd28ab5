// A tenant's sign-in methods can be turned off (CLI and admin API): the page stops offering them,
// and the sign-in API refuses them too, so a script posting to the endpoint meets the same switch.
// One of password, passkey and EU Wallet always stays on; other tenants are untouched.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addAdmin, adminCall, userToken } from "./support/admin-api.ts";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { ha1, provision, type Provisioned } from "./support/fixtures.ts";
import { startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
let other: Provisioned;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  other = await provision(server, "contoso.localhost");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const post = (name: string, body: Record<string, string>, host = "localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { method: "POST", host, headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
const offered = async (host = "localhost") =>
  ((await (await server.fetch("/oauth2/v1/login-config", { host })).json()) as { methods: string[] }).methods;
const passwordSignIn = async (who: Provisioned) => {
  const { returnTo } = await startAuthorization(server, who);
  return post("login", { user: who.username, ha1: ha1(who.username, who.host, who.password), return: returnTo }, who.host);
};

describe("turned off with the CLI", () => {
  test("password off: not offered, the login endpoint and password recovery answer 403 access_denied; other tenants keep it", async () => {
    expect(await offered()).toEqual(["password", "passkey", "eu-wallet"]);
    expect((await passwordSignIn(p)).status).toBe(200);
    expect(await server.cliOk(["tenant", "methods", "localhost", "--password", "off"])).toContain("turned off: password");
    try {
      expect(await offered()).toEqual(["passkey", "eu-wallet"]);
      const refused = await passwordSignIn(p);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toBe("access_denied");
      expect((await post("recover-start", { email: "a@example.com" })).status).toBe(403);
      // The other methods still start.
      const { returnTo } = await startAuthorization(server, p);
      expect((await post("passkey-signin-start", { return: returnTo })).status).toBe(200);
      // Another tenant is untouched.
      expect(await offered("contoso.localhost")).toEqual(["password", "passkey", "eu-wallet"]);
      expect((await passwordSignIn(other)).status).toBe(200);
    } finally {
      await server.cliOk(["tenant", "methods", "localhost", "--password", "on"]);
    }
    expect((await passwordSignIn(p)).status).toBe(200);
  });

  test("the last of password, passkey and wallet cannot be turned off, and a refused switch changes nothing", async () => {
    await server.cliOk(["tenant", "methods", "localhost", "--passkey", "off", "--wallet", "off"]);
    try {
      const refused = await server.cli(["tenant", "methods", "localhost", "--password", "off"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(await offered()).toEqual(["password"]);
      const { returnTo } = await startAuthorization(server, p);
      expect((await post("passkey-signin-start", { return: returnTo })).status).toBe(403);
      expect((await post("wallet-start", { return: returnTo })).status).toBe(403);
      expect((await server.cli(["tenant", "methods", "localhost", "--wallet", "maybe"])).code).not.toBe(0);
    } finally {
      await server.cliOk(["tenant", "methods", "localhost", "--passkey", "on", "--wallet", "on"]);
    }
  });
});

describe("turned off with the admin API", () => {
  test("PATCH /tenant sign_in_methods switches the wallet off and on, names the change in the audit trail, and refuses all-off with 409", async () => {
    const admin = await addAdmin(server, p, "methods-admin");
    const token = await userToken(server, admin);
    const off = await adminCall(server, token, "PATCH", "/tenant", { sign_in_methods: { "eu-wallet": false } });
    expect(off.status).toBe(200);
    expect(off.body.sign_in_methods).toEqual({ password: true, passkey: true, "eu-wallet": false });
    try {
      expect(await offered()).toEqual(["password", "passkey"]);
      const { returnTo } = await startAuthorization(server, p);
      expect((await post("wallet-start", { return: returnTo })).status).toBe(403);
      const allOff = await adminCall(server, token, "PATCH", "/tenant", { sign_in_methods: { password: false, passkey: false } });
      expect(allOff.status).toBe(409);
      expect(allOff.body.field).toBe("sign_in_methods");
      expect((await adminCall(server, token, "PATCH", "/tenant", { sign_in_methods: { sms: false } })).status).toBe(400);
      expect(await offered()).toEqual(["password", "passkey"]);
    } finally {
      expect((await adminCall(server, token, "PATCH", "/tenant", { sign_in_methods: { "eu-wallet": true } })).status).toBe(200);
    }
    const trail = await adminCall(server, token, "GET", "/audit?event=admin.change&limit=20");
    expect(JSON.stringify(trail.body.items)).toContain('"disabled_methods":["eu-wallet"]');
  });
});

describe("in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("the sign-in page shows no tab for a method that is off", async () => {
    await server.cliOk(["tenant", "methods", "localhost", "--password", "off"]);
    try {
      const { returnTo } = await startAuthorization(server, p);
      const page = await browser.context.newPage();
      await page.goto(`${server.origin()}/login.html?${new URLSearchParams({ return: returnTo })}`);
      await page.locator("#tab-passkey").waitFor({ state: "visible", timeout: 15_000 });
      expect(await page.locator("[role=tab]").evaluateAll((tabs) => tabs.map((tab) => (tab as HTMLElement).dataset.method))).toEqual(["passkey", "eu-wallet"]);
      expect(await page.getByLabel("Password", { exact: true }).isVisible()).toBe(false);
      await page.close();
    } finally {
      await server.cliOk(["tenant", "methods", "localhost", "--password", "on"]);
    }
  });
});
