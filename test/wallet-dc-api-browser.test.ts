// In headless Chromium: the sign-in page offers "Use a wallet on this device" where the browser has
// the W3C Digital Credentials API, and an openid-client relying party receives the PID claims. An
// init script stands in for the platform's wallet picker: it defines DigitalCredential and answers
// navigator.credentials.get({ digital }) by handing the requests and the page's real Origin to the
// test wallet (test/support/wallet/dc-api.ts) through page.exposeFunction. The page, Sigil and the
// request's way through them are real.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { decodeJwt } from "jose";
import * as client from "openid-client";
import type { Page } from "playwright-core";
import { AuditReader } from "./support/audit.ts";
import { launchBrowser, type Browser } from "./support/browser.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { startAuthorization } from "./support/oauth-flow.ts";
import { buildAuthorization, discoverRelyingParty, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { answerDcApiRequests, type DcApiAnswerOptions, type DigitalCredentialGetRequest } from "./support/wallet/dc-api.ts";
import { createMdocIssuer, PID_DOCTYPE } from "./support/wallet/mdoc-issuer.ts";
import { createTestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let rp: RelyingParty;
let browser: Browser;
let wallet: TestWallet;
let queryFile: string;

/**
 * The tenant asks for "a PID in either format" (OpenID4VP 1.0 §6.2 credential_sets): the wallet answers
 * with the SD-JWT PID (the first option) unless a test prefers the mdoc PID.
 */
const EITHER_FORMAT = {
  credentials: [
    { id: "pid_sd_jwt", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["given_name"] }, { path: ["family_name"] }, { path: ["birthdate"] }] },
    { id: "pid_mdoc", format: "mso_mdoc", meta: { doctype_value: PID_DOCTYPE }, claims: [{ path: [PID_DOCTYPE, "given_name"] }, { path: [PID_DOCTYPE, "family_name"] }, { path: [PID_DOCTYPE, "birth_date"] }] },
  ],
  credential_sets: [{ options: [["pid_sd_jwt"], ["pid_mdoc"]] }],
};

beforeAll(async () => {
  const issuer = await createTestIssuer();
  const mdocIssuer = await createMdocIssuer(issuer);
  wallet = await createTestWallet(issuer, { mdocIssuer });
  server = await startSigil();
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  await server.cliOk(["trust", "add", "localhost", `--cert=${mdocIssuer.iaca.pem}`]);
  queryFile = join(server.dataDir, "..", `dcql-dc-api-${crypto.randomUUID()}.json`);
  await Bun.write(queryFile, JSON.stringify(EITHER_FORMAT));
  await server.cliOk(["verifier", "set", "localhost", "--dcql", queryFile]);
  rp = await discoverRelyingParty(server, p, "confidential");
  browser = await launchBrowser();
  await browser.context.route("https://rp.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
  if (queryFile) rmSync(queryFile, { force: true });
});

/**
 * How the stand-in platform behaves: an honest wallet; one that ignores expected_origins; or a
 * request swapped for its unsigned parameters on its way to the platform (a hostile script).
 */
type Platform = "honest" | "ignoresOrigin" | "unsignedSwap";

/** The platform side of the W3C draft: DigitalCredential {protocol, data}, and get() resolving with one. */
const PLATFORM_SCRIPT = `(() => {
  class DigitalCredential {
    constructor(protocol, data) { this.protocol = protocol; this.data = data; }
    static userAgentAllowsProtocol(protocol) { return protocol === "openid4vp-v1-signed" || protocol === "openid4vp-v1-unsigned"; }
  }
  Object.defineProperty(window, "DigitalCredential", { value: DigitalCredential, configurable: true, writable: true });
  const get = navigator.credentials.get.bind(navigator.credentials);
  navigator.credentials.get = async (options) => {
    if (!options || !options.digital) return get(options);
    const answer = JSON.parse(await window.platformWallet(JSON.stringify(options.digital.requests), location.origin));
    if (answer.cancelled) throw new DOMException("The user closed the wallet picker.", "NotAllowedError");
    return new DigitalCredential(answer.protocol, answer.data);
  };
})();`;

/** A page with the stand-in platform installed; `seen` records every origin the wallet was called from. */
async function pageWithPlatform(platform: Platform, seen: string[] = [], answer: DcApiAnswerOptions = {}): Promise<Page> {
  const page = await browser.context.newPage();
  await page.exposeFunction("platformWallet", async (requestsJson: string, origin: string) => {
    seen.push(origin);
    let requests = JSON.parse(requestsJson) as DigitalCredentialGetRequest[];
    if (platform === "unsignedSwap") {
      requests = requests.map((r) => {
        const { aud: _a, iat: _i, exp: _e, ...params } = decodeJwt(r.data.request as string);
        return { protocol: "openid4vp-v1-unsigned", data: params };
      });
    }
    return JSON.stringify(await answerDcApiRequests(wallet, requests, origin, { ...answer, ignoreExpectedOrigins: platform === "ignoresOrigin" }));
  });
  await page.addInitScript(PLATFORM_SCRIPT);
  return page;
}

/** The relying party's sign-in, opened at the EU Wallet method, with its QR code shown. */
async function openWalletMethod(page: Page) {
  const pending = await buildAuthorization(rp, p, "openid profile", { prompt: "login" });
  await page.goto(pending.url.href);
  await page.waitForURL(/\/login\.html\?/);
  await page.goto(`${page.url()}&method=eu-wallet`);
  await page.getByRole("img", { name: "QR code for your EU Wallet" }).waitFor();
  return pending;
}

test("'Use a wallet on this device' signs in through the Digital Credentials API; the answer cannot be spent again", async () => {
  const seen: string[] = [];
  const page = await pageWithPlatform("honest", seen);
  const delivered: { url: string; body: string }[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/oid4vp/v1/dc-response/")) delivered.push({ url: request.url(), body: request.postData() ?? "" });
  });
  const pending = await openWalletMethod(page);
  await page.getByRole("button", { name: "Use a wallet on this device" }).click();
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  // The platform gave the wallet the page's real Origin: Sigil's.
  expect(seen).toEqual([server.origin()]);
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(page.url()), {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  expect(tokens.claims()).toMatchObject({ given_name: "Erika", family_name: "Mustermann", acr: "urn:sigil:acr:eudi-wallet" });
  // Replay: the very answer the page delivered is refused the second time.
  expect(delivered).toHaveLength(1);
  const replay = await server.fetch(new URL(delivered[0]!.url).pathname, { method: "POST", headers: { "content-type": "application/json" }, body: delivered[0]!.body });
  expect(replay.status).toBe(400);
  await page.close();
}, 30_000);

/**
 * The attacker's own DC API sign-in transaction, its request shown on a page at its own origin
 * (https://evil.example) whose wallet answers it; the answer is then posted as the attacker would.
 */
async function relayToAnotherOrigin(evil: Page) {
  const { returnTo } = await startAuthorization(server, p);
  const started = (await (await server.fetch("/oauth2/v1/wallet-start", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ return: returnTo, flow: "dc_api" }),
  })).json()) as { transaction_id: string; page_secret: string; dc_api_request: DigitalCredentialGetRequest };
  await evil.route("https://evil.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Verify your age</h1>" }));
  await evil.goto("https://evil.example/verify");
  const credential = await evil.evaluate(async (request) => {
    const answer = (await navigator.credentials.get({ digital: { requests: [request] } } as CredentialRequestOptions)) as unknown as { protocol: string; data: Record<string, string> };
    return { protocol: answer.protocol, data: answer.data };
  }, started.dc_api_request);
  const refused = await server.fetch(`/oid4vp/v1/dc-response/${started.transaction_id}`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ page_secret: started.page_secret, protocol: credential.protocol, ...credential.data }),
  });
  return { started, refused };
}

test("a request relayed to a page at another origin: an honest wallet declines, and an answer bound to that origin is refused", async () => {
  const evil = await pageWithPlatform("ignoresOrigin");
  // The attacker's own sign-in transaction, its request shown on a page at its own origin.
  const { started, refused } = await relayToAnotherOrigin(evil);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error_description: string }).error_description).toContain("origin");
  // An honest wallet would not have answered the relayed request at all.
  const honest = await pageWithPlatform("honest");
  await honest.route("https://evil.example/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Verify your age</h1>" }));
  await honest.goto("https://evil.example/verify");
  const declined = await honest.evaluate(async (request) =>
    ((await navigator.credentials.get({ digital: { requests: [request] } } as CredentialRequestOptions)) as unknown as { data: unknown }).data, started.dc_api_request);
  expect(declined).toEqual({ error: "invalid_request" });
  await Promise.all([evil.close(), honest.close()]);
}, 30_000);

test("a wallet answering with an mdoc PID (OpenID4VPDCAPIHandover with the page's origin) signs in; bound to another origin, it is refused", async () => {
  const seen: string[] = [];
  const page = await pageWithPlatform("honest", seen, { preferQuery: "pid_mdoc" });
  const pending = await openWalletMethod(page);
  await page.getByRole("button", { name: "Use a wallet on this device" }).click();
  await page.waitForURL(/^https:\/\/rp\.example\/cb\?/, { timeout: 15_000 });
  expect(seen).toEqual([server.origin()]);
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(page.url()), {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  // The mdoc's birth_date reaches the relying party under the SD-JWT PID name.
  expect(tokens.claims()).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12", acr: "urn:sigil:acr:eudi-wallet" });
  // And it was the mdoc that answered: the audit names the credential query it fulfilled.
  const verified = await new AuditReader(server.dataDir).find((line) => line.event === "wallet.verified" && line.channel === "dc_api" && JSON.stringify(line.credential_queries) === '["pid_mdoc"]');
  expect(verified).toBeDefined();

  // The same kind of answer made on a page at another origin: its handover names that origin.
  const evil = await pageWithPlatform("ignoresOrigin", [], { preferQuery: "pid_mdoc" });
  const { started, refused } = await relayToAnotherOrigin(evil);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error_description: string }).error_description).toContain("SessionTranscript");
  await Promise.all([page.close(), evil.close()]);
}, 30_000);

test("an answer to an unsigned request swapped in for the signed one is refused on the page, with a way to try again", async () => {
  const page = await pageWithPlatform("unsignedSwap");
  await openWalletMethod(page);
  await page.getByRole("button", { name: "Use a wallet on this device" }).click();
  await page.getByRole("alert").filter({ hasText: "not accepted" }).waitFor({ timeout: 10_000 });
  expect(await page.getByRole("alert").textContent()).toContain("signed request");
  await page.getByRole("button", { name: "Try again" }).waitFor();
  expect(page.url()).toStartWith(server.origin());
  await page.close();
}, 30_000);

test("without the Digital Credentials API the page offers the QR code and the wallet link only", async () => {
  const page = await browser.context.newPage();
  await page.addInitScript("delete window.DigitalCredential;");
  await openWalletMethod(page);
  await page.getByRole("button", { name: "Open the wallet on this device" }).waitFor();
  expect(await page.getByRole("button", { name: "Use a wallet on this device" }).isVisible()).toBe(false);
  await page.close();
}, 30_000);
