// Email magic links: offered only with a real mail server, same answer for any address, and a
// single-use link that completes the pending authorization request with amr ["user"].
import { afterAll, beforeAll, expect, test } from "bun:test";
import { launchBrowser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { startSmtpSink, type SmtpSink } from "./support/smtp-sink.ts";

let smtp: SmtpSink;
let server: SigilServer;
let p: Provisioned;

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startSigil({ args: ["--smtp-url", smtp.url] });
  p = await provision(server);
  await provision(server, "acme.localhost");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  await smtp.close();
});

const post = (name: string, body: Record<string, string>, host = "localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { host, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

async function mailedToken(host = "localhost") {
  const { returnTo, pkce, state } = await startAuthorization(server, { ...p, host });
  expect((await post("email-link-start", { email: "alice@example.org", return: returnTo }, host)).status).toBe(200);
  const mail = await smtp.next("alice@example.org");
  const link = /(http:\/\/\S+\/login\.html\?method=email-link#token=[A-Za-z0-9._-]+)/.exec(mail.text)?.[1];
  if (!link) throw new Error(`no link in:\n${mail.text}`);
  return { link, token: link.split("#token=")[1]!, pkce, state };
}

test("the method is offered only where a real mail server is configured", async () => {
  const config = (await (await server.fetch("/oauth2/v1/login-config")).json()) as { methods: string[] };
  expect(config.methods).toContain("email-link");
  const plain = await startSigil();
  try {
    const other = (await (await plain.fetch("/oauth2/v1/login-config")).json()) as { methods: string[] };
    expect(other.methods).not.toContain("email-link");
    const refused = await plain.fetch("/oauth2/v1/email-link-start", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(refused.status).toBe(404);
  } finally {
    await plain.stop();
    removeDataDir(plain.dataDir);
  }
});

test("email-link-start answers byte for byte the same for a known and an unknown address", async () => {
  const { returnTo } = await startAuthorization(server, p);
  const known = await post("email-link-start", { email: "alice@example.org", return: returnTo });
  const unknown = await post("email-link-start", { email: "stranger@example.org", return: returnTo });
  expect(unknown.status).toBe(known.status);
  expect(await unknown.text()).toBe(await known.text());
  await smtp.next("alice@example.org");
});

test("in a real browser the mailed link completes the request with amr user and the email-link acr", async () => {
  const browser = await launchBrowser();
  try {
    await browser.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, body: "rp" }));
    const page = await browser.context.newPage();
    const pkce = pkcePair();
    const query = new URLSearchParams({
      client_id: p.clientId, redirect_uri: p.redirectUri, response_type: "code", scope: "openid", state: "st-1", nonce: "n-1",
      code_challenge: pkce.challenge, code_challenge_method: "S256",
    });
    await page.goto(`${server.origin()}/oauth2/v1/authorize?${query}`);
    await page.getByRole("tab", { name: "Email me a sign-in link" }).click();
    await page.getByLabel("Email", { exact: true }).fill("alice@example.org");
    await page.getByRole("button", { name: "Send me the link" }).click();
    await page.getByText("a sign-in link is on its way").waitFor();
    const mail = await smtp.next("alice@example.org");
    const link = /(http:\/\/\S+#token=[A-Za-z0-9._-]+)/.exec(mail.text)![1]!;
    await page.goto(link);
    await page.waitForURL(/^https:\/\/rp\.example\/cb\?/);
    const callback = new URL(page.url());
    expect(callback.searchParams.get("state")).toBe("st-1");
    const tokens = await tokenRequest(server, p, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: p.redirectUri, code_verifier: pkce.verifier });
    const { id_token } = (await tokens.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(id_token.split(".")[1]!, "base64url").toString()) as { amr: string[]; acr: string };
    expect(claims.amr).toEqual(["user"]);
    expect(claims.acr).toBe("urn:sigil:acr:email-link");
  } finally {
    await browser.close();
  }
}, 30_000);

test("a link works once, and neither a tampered link nor another tenant's works", async () => {
  const { token } = await mailedToken();
  const first = await post("login", { email_token: token });
  expect(first.status).toBe(200);
  const again = await post("login", { email_token: token });
  expect(again.status).toBe(400);
  expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");

  // An unspent link (another tenant's address key, so the per-address limit is not hit) whose
  // signature is corrupted is refused at its own tenant; intact, it is refused at another tenant.
  const foreign = await mailedToken("acme.localhost");
  const [h, payload, sig] = foreign.token.split(".");
  const middle = Math.floor(sig!.length / 2);
  const corrupted = `${h}.${payload}.${sig!.slice(0, middle)}${sig![middle] === "A" ? "B" : "A"}${sig!.slice(middle + 1)}`;
  expect((await post("login", { email_token: corrupted }, "acme.localhost")).status).toBe(400);
  expect((await post("login", { email_token: foreign.token })).status).toBe(400);
  expect((await post("login", { email_token: foreign.token }, "acme.localhost")).status).toBe(200);
});
