// EU Wallet sign-in and the verifier API over HTTP, with the test wallet as the holder: the happy
// path to an id_token with the disclosed claims, every negative switch rejected with a 4xx and
// nothing minted, replay and lateness, another transaction's key, and the API's client isolation.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { AuditReader } from "./support/audit.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization, tokenRequest } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { accountToken } from "./support/totp.ts";
import { fetchRequestObject } from "./support/wallet/fetch-request-object.ts";
import { createTestIssuer, type TestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier, WALLET_SWITCHES, type TestWallet, type WalletSwitch } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let issuer: TestIssuer;
let wallet: TestWallet;
let audit: AuditReader;
let statusServer: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  // The issuer's status list, served over plain HTTP on loopback: Sigil runs with --allow-http-fetch and --allow-private-fetch for it.
  statusServer = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async () => new Response(await issuer.statusListToken(), { headers: { "content-type": "application/statuslist+jwt" } }) });
  issuer = await createTestIssuer({ statusListUri: `http://127.0.0.1:${statusServer.port}/status/1` });
  wallet = await createTestWallet(issuer);
  server = await startSigil({ args: ["--allow-http-fetch", "--allow-private-fetch"] });
  p = await provision(server);
  await provision(server, "acme.localhost");
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  audit = new AuditReader(server.dataDir);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  statusServer.stop(true);
});

const post = (name: string, body: Record<string, unknown>, host = "localhost") =>
  server.fetch(`/oauth2/v1/${name}`, { host, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });

async function startWalletSignIn(flow?: "same_device" | "cross_device") {
  const pkce = pkcePair();
  const { returnTo, state } = await startAuthorization(server, p, { pkce });
  const started = await post("wallet-start", { return: returnTo, ...(flow ? { flow } : {}) });
  expect(started.status).toBe(201);
  const body = (await started.json()) as { transaction_id: string; wallet_url: string; request_uri: string; expires_at: number; page_secret: string; qr_svg: string };
  return { ...body, pkce, state };
}

const finish = (run: { transaction_id: string; page_secret: string }) => post("wallet-finish", { transaction_id: run.transaction_id, page_secret: run.page_secret });

async function idToken(code: string, verifier: string) {
  const response = await tokenRequest(server, p, { grant_type: "authorization_code", code, redirect_uri: p.redirectUri, code_verifier: verifier });
  expect(response.status).toBe(200);
  return (await response.json()) as { id_token: string; access_token: string };
}

describe("request objects", () => {
  test("are signed ES256 JWTs of type oauth-authz-req+jwt with x5c, served again while the transaction lives", async () => {
    const run = await startWalletSignIn();
    const walletUrl = new URL(run.wallet_url);
    expect(walletUrl.protocol).toBe("openid4vp:");
    expect(walletUrl.searchParams.get("client_id")).toStartWith("x509_hash:");
    expect(walletUrl.searchParams.get("request_uri_method")).toBe("post");
    expect(run.qr_svg).toStartWith("<svg");
    const first = await fetchRequestObject(run.wallet_url, fetch);
    const second = await server.fetch(new URL(run.request_uri).pathname);
    expect(second.status).toBe(200);
    expect(second.headers.get("content-type")).toBe("application/oauth-authz-req+jwt");
    const header = decodeProtectedHeader(await second.text());
    expect(header).toMatchObject({ alg: "ES256", typ: "oauth-authz-req+jwt" });
    expect(Array.isArray(header.x5c)).toBe(true);
    expect(first.payload.client_id).toBe(walletUrl.searchParams.get("client_id")!);
    expect(first.payload.response_mode).toBe("direct_post.jwt");
    // request_uri_method=post: the wallet's nonce comes back inside the signed request object.
    expect(first.walletNonce).toBeString();
    expect(first.payload.wallet_nonce).toBe(first.walletNonce);
    expect(await (await server.fetch("/oid4vp/v1/request/unknown")).json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("wallet sign-in", () => {
  test("a PID presentation signs the person up and the relying party receives the disclosed claims", async () => {
    const run = await startWalletSignIn();
    const pending = await finish(run);
    expect(pending.status).toBe(202);
    const presented = await presentToVerifier(wallet, run.wallet_url, { fetch, withStatus: true });
    expect(presented.status).toBe(200);
    const done = await finish(run);
    expect(done.status).toBe(200);
    const body = (await done.json()) as { code: string; redirect: string };
    expect(new URL(body.redirect).searchParams.get("state")).toBe(run.state);
    const tokens = await idToken(body.code, run.pkce.verifier);
    const claims = decodeJwt(tokens.id_token);
    expect(claims).toMatchObject({ given_name: "Erika", family_name: "Mustermann", amr: ["hwk", "user"], acr: "urn:sigil:acr:eudi-wallet", iss: server.origin() });
    expect(claims.birthdate).toBeDefined();
    expect(claims.nationalities).toBeUndefined();
    expect(claims.cnf).toBeUndefined();
    const userinfo = (await (await server.fetch("/oauth2/v1/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
    expect(userinfo.given_name).toBe("Erika");
    // The same person with a fresh wallet key (a re-issued PID) lands in the same account.
    const again = await startWalletSignIn();
    expect((await presentToVerifier(await createTestWallet(issuer), again.wallet_url, { fetch })).status).toBe(200);
    const second = (await (await finish(again)).json()) as { code: string };
    expect(decodeJwt((await idToken(second.code, again.pkce.verifier)).id_token).sub).toBe(claims.sub);
    // A verified transaction completes one sign-in only: the second call hears it was completed.
    expect((await finish(again)).status).toBe(409);
    expect(await audit.find((line) => line.event === "wallet.signup")).toBeDefined();
  });

  test("same-device: the wallet gets a redirect_uri whose response_code completes the sign-in once, and only with the page's secret", async () => {
    const run = await startWalletSignIn("same_device");
    const presented = await presentToVerifier(wallet, run.wallet_url, { fetch });
    expect(presented.status).toBe(200);
    const redirect = new URL((presented.response as { redirect_uri: string }).redirect_uri);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${server.origin()}/login.html`);
    const fragment = new URLSearchParams(redirect.hash.slice(1));
    expect(fragment.get("wallet_transaction")).toBe(run.transaction_id);
    const code = fragment.get("response_code")!;
    expect(code.length).toBeGreaterThanOrEqual(22); // >= 128 bits, base64url
    const redeem = (responseCode: string, secret = run.page_secret) => post("wallet-finish", { transaction_id: run.transaction_id, page_secret: secret, response_code: responseCode });
    expect((await redeem(code, "another-browser")).status).toBe(404);
    const wrong = await redeem(`${code.slice(0, -2)}xx`);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_grant");
    const ok = await redeem(code);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { code: string }).code).toBeString();
    expect((await redeem(code)).status).toBe(409);
    // The tab that showed the QR code, still polling with the secret, hears the same.
    expect((await finish(run)).status).toBe(409);
  });

  test("with sign-up off, a wallet nobody linked is refused and no account is made", async () => {
    const newcomerIssuer = await createTestIssuer({ caName: "Newcomer CA" });
    await server.cliOk(["trust", "add", "localhost", `--cert=${newcomerIssuer.ca.pem}`]);
    await server.cliOk(["verifier", "set", "localhost", "--signup", "off"]);
    try {
      const before = (await server.cliOk(["user", "list", "localhost"])).trim().split("\n").length;
      const run = await startWalletSignIn();
      expect((await presentToVerifier(await createTestWallet(newcomerIssuer), run.wallet_url, { fetch })).status).toBe(200);
      const refused = await finish(run);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toBe("access_denied");
      expect((await server.cliOk(["user", "list", "localhost"])).trim().split("\n").length).toBe(before);
    } finally {
      await server.cliOk(["verifier", "set", "localhost", "--signup", "on"]);
    }
  });

  test("a replayed response is refused once the transaction was answered", async () => {
    const run = await startWalletSignIn();
    const presented = await presentToVerifier(wallet, run.wallet_url, { fetch });
    expect(presented.status).toBe(200);
    const replay = await fetch(presented.request.payload.response_uri, { method: "POST", body: presented.body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error_description: string }).error_description).toContain("already answered");
  });

  test("a late response is refused and the page hears the transaction expired", async () => {
    const run = await startWalletSignIn();
    const request = await fetchRequestObject(run.wallet_url, fetch);
    const db = new Database(join(server.dataDir, "sigil.db"));
    db.run("UPDATE wallet_transactions SET expires_at = 1 WHERE id = ?", [run.transaction_id]);
    db.close();
    const late = await presentToVerifier(wallet, request.jwt, { fetch });
    expect(late.status).toBe(400);
    const page = await finish(run);
    expect(page.status).toBe(400);
    expect(((await page.json()) as { code?: string }).code).toBeUndefined();
  });

  test("a response encrypted to another live transaction's key is refused and ends neither transaction", async () => {
    const other = await startWalletSignIn();
    const otherRequest = await fetchRequestObject(other.wallet_url, fetch);
    const otherKey = (otherRequest.payload.client_metadata as { jwks: { keys: Record<string, unknown>[] } }).jwks.keys[0]!;
    const run = await startWalletSignIn();
    const presented = await presentToVerifier(wallet, run.wallet_url, { fetch, switches: ["otherTransactionKey"], otherTransactionJwk: otherKey });
    expect(presented.status).toBe(400);
    expect((await finish(run)).status).toBe(202);
    expect((await finish(other)).status).toBe(202);
  });

  test("the page's secret is needed to read or finish a transaction", async () => {
    const run = await startWalletSignIn();
    expect((await post("wallet-finish", { transaction_id: run.transaction_id, page_secret: "guess" })).status).toBe(404);
    expect((await post("wallet-finish", { transaction_id: run.transaction_id, page_secret: run.page_secret }, "acme.localhost")).status).toBe(404);
  });

  // Answers that are not provably the transaction's own (not encrypted to its key, or without its
  // state) are refused without ending it: anyone who saw the QR code could send those.
  const notItsOwn: readonly WalletSwitch[] = ["cleartext", "wrongEnc", "wrongState"];
  for (const name of notItsOwn) {
    test(`the ${name} switch is rejected with a 4xx and the transaction stays open, nothing is minted`, async () => {
      const run = await startWalletSignIn();
      const presented = await presentToVerifier(wallet, run.wallet_url, { fetch, switches: [name] });
      expect(presented.status).toBe(400);
      expect(presented.response).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
      const page = await finish(run);
      expect(page.status).toBe(202);
      expect(((await page.json()) as { code?: string }).code).toBeUndefined();
      expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === run.transaction_id && line.ended === false)).toBeDefined();
    });
  }

  const negatives = WALLET_SWITCHES.filter((name) => name !== "otherTransactionKey" && !notItsOwn.includes(name));
  for (const name of negatives) {
    test(`the ${name} switch is rejected with a 4xx, the transaction fails, nothing is minted`, async () => {
      const run = await startWalletSignIn();
      const switches: WalletSwitch[] = [name];
      const presented = await presentToVerifier(wallet, run.wallet_url, { fetch, switches, withStatus: name === "revokedStatus" });
      expect(presented.status).toBeGreaterThanOrEqual(400);
      expect(presented.status).toBeLessThan(500);
      expect(presented.response).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
      const page = await finish(run);
      expect(page.status).toBe(400);
      const body = (await page.json()) as { error: string; code?: string; redirect?: string };
      expect(body.error).toBe("access_denied");
      expect(body.code).toBeUndefined();
      expect(body.redirect).toBeUndefined();
      expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === run.transaction_id && typeof line.check === "string")).toBeDefined();
    });
  }
});

describe("verifier API", () => {
  const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

  test("a confidential client creates a presentation, and reads the verified claims when the wallet answered", async () => {
    const created = await server.fetch("/oid4vp/v1/presentations", {
      method: "POST", headers: { authorization: basic(p.clientId, p.clientSecret), "content-type": "application/json" },
      body: JSON.stringify({ dcql_query: { credentials: [{ id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["family_name"] }] }] } }),
    });
    expect(created.status).toBe(201);
    const presentation = (await created.json()) as { transaction_id: string; wallet_url: string; request_uri: string; expires_at: number };
    const read = () => server.fetch(`/oid4vp/v1/presentations/${presentation.transaction_id}`, { headers: { authorization: basic(p.clientId, p.clientSecret) } });
    expect(await (await read()).json()).toEqual({ status: "pending" });
    const presented = await presentToVerifier(wallet, presentation.wallet_url, { fetch });
    expect(presented.status).toBe(200);
    // HAIP 1.0 §5.1: always a redirect_uri; without one from the client, a page that says the wallet answered.
    expect(presented.response).toEqual({ redirect_uri: `${server.origin()}/wallet-done.html` });
    expect((await server.fetch("/wallet-done.html")).status).toBe(200);
    const verified = (await (await read()).json()) as { status: string; claims: { pid: Record<string, unknown> } };
    expect(verified.status).toBe("verified");
    expect(verified.claims.pid.family_name).toBe("Mustermann");
    expect(verified.claims.pid.given_name).toBeUndefined();
  });

  test("same-device: with the client's redirect_uri, the wallet is sent there with a response_code, and only that code releases the claims", async () => {
    const create = (body: Record<string, unknown>) => server.fetch("/oid4vp/v1/presentations", {
      method: "POST", headers: { authorization: basic(p.clientId, p.clientSecret), "content-type": "application/json" }, body: JSON.stringify(body),
    });
    expect((await create({ redirect_uri: "https://evil.example/cb" })).status).toBe(400);
    const presentation = (await (await create({ redirect_uri: p.redirectUri })).json()) as { transaction_id: string; wallet_url: string };
    const presented = await presentToVerifier(wallet, presentation.wallet_url, { fetch });
    const redirect = new URL((presented.response as { redirect_uri: string }).redirect_uri);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(p.redirectUri);
    const code = new URLSearchParams(redirect.hash.slice(1)).get("response_code")!;
    const read = (query = "") => server.fetch(`/oid4vp/v1/presentations/${presentation.transaction_id}${query}`, { headers: { authorization: basic(p.clientId, p.clientSecret) } });
    expect((await read()).status).toBe(400);
    expect((await read("?response_code=wrong")).status).toBe(400);
    const released = (await (await read(`?response_code=${code}`)).json()) as { status: string; claims: Record<string, unknown> };
    expect(released.status).toBe("verified");
    expect(Object.keys(released.claims)).toHaveLength(1);
  });

  test("a presentation may ask for the x509_san_dns client_id prefix, whatever the tenant's default", async () => {
    const create = (body: Record<string, unknown>) => server.fetch("/oid4vp/v1/presentations", {
      method: "POST", headers: { authorization: basic(p.clientId, p.clientSecret), "content-type": "application/json" }, body: JSON.stringify(body),
    });
    expect((await create({ client_id_prefix: "did" })).status).toBe(400);
    const presentation = (await (await create({ client_id_prefix: "x509_san_dns" })).json()) as { transaction_id: string; wallet_url: string };
    expect(new URL(presentation.wallet_url).searchParams.get("client_id")).toBe("x509_san_dns:localhost");
    const presented = await presentToVerifier(wallet, presentation.wallet_url, { fetch });
    expect(presented.request.payload.client_id).toBe("x509_san_dns:localhost");
    expect(presented.status).toBe(200);
  });

  test("another client, another tenant, a public client and a bad query are refused", async () => {
    const created = (await (await server.fetch("/oid4vp/v1/presentations", {
      method: "POST", headers: { authorization: basic(p.clientId, p.clientSecret), "content-type": "application/json" }, body: "{}",
    })).json()) as { transaction_id: string };
    const other = await server.cliOk(["client", "add", "localhost", "other-rp", "--redirect-uri", "https://other.example/cb", "--confidential"]);
    const otherSecret = /^secret: (\S+)$/m.exec(other)![1]!;
    expect((await server.fetch(`/oid4vp/v1/presentations/${created.transaction_id}`, { headers: { authorization: basic("other-rp", otherSecret) } })).status).toBe(404);
    const acme = await provision(server, "contoso.localhost");
    expect((await server.fetch(`/oid4vp/v1/presentations/${created.transaction_id}`, { host: "contoso.localhost", headers: { authorization: basic(acme.clientId, acme.clientSecret) } })).status).toBe(404);
    const publicClient = await server.fetch("/oid4vp/v1/presentations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_id: p.publicClientId }) });
    expect(publicClient.status).toBe(401);
    const noAuth = await server.fetch(`/oid4vp/v1/presentations/${created.transaction_id}`);
    expect(noAuth.status).toBe(401);
    const badQuery = await server.fetch("/oid4vp/v1/presentations", {
      method: "POST", headers: { authorization: basic(p.clientId, p.clientSecret), "content-type": "application/json" }, body: JSON.stringify({ dcql_query: { credentials: "nope" } }),
    });
    expect(badQuery.status).toBe(400);
    expect(((await badQuery.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("linking a wallet from the account page", () => {
  test("a signed-in user links a wallet, which then signs in to that account; another account cannot take it", async () => {
    // Another issuer, so that this wallet is a different person from the one signed up above.
    const linkIssuer = await createTestIssuer({ caName: "Link Test CA" });
    const linkWallet = await createTestWallet(linkIssuer);
    await server.cliOk(["trust", "add", "localhost", `--cert=${linkIssuer.ca.pem}`]);
    const token = await accountToken(server, p);
    const call = (path: string, body: Record<string, unknown> = {}, bearer = token) => server.fetch(path, {
      method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const started = await call("/account/v1/wallet/link");
    expect(started.status).toBe(201);
    const link = (await started.json()) as { transaction_id: string; page_secret: string; wallet_url: string };
    const finishLink = (bearer = token) => call("/account/v1/wallet/link/finish", { transaction_id: link.transaction_id, page_secret: link.page_secret }, bearer);
    expect((await finishLink()).status).toBe(202);
    const presented = await presentToVerifier(linkWallet, link.wallet_url, { fetch });
    expect(presented.status).toBe(200);
    // The device the wallet returned to confirms the link (test/wallet-relay.test.ts has the relayed case).
    const confirm = async (response: unknown) => {
      const fragment = new URLSearchParams(new URL((response as { redirect_uri: string }).redirect_uri).hash.slice(1));
      const answer = await server.fetch("/account/v1/wallet/link/confirm", {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ transaction_id: fragment.get("transaction"), response_code: fragment.get("response_code"), decision: "link" }),
      });
      expect(answer.status).toBe(200);
    };
    await confirm(presented.response);
    // A link transaction cannot be used to sign in, nor read by another account.
    expect((await post("wallet-finish", { transaction_id: link.transaction_id, page_secret: link.page_secret })).status).toBe(404);
    await server.cliOk(["user", "add", "localhost", "bob", "--password-stdin"], "bob-password\n");
    const bob = await accountToken(server, { ...p, username: "bob", password: "bob-password" });
    expect((await finishLink(bob)).status).toBe(404);
    const linked = await finishLink();
    expect(linked.status).toBe(200);
    expect(await linked.json()).toEqual({ status: "linked" });
    const me = (await (await server.fetch("/account/v1/me", { headers: { authorization: `Bearer ${token}` } })).json()) as { sub: string; wallets_linked: number };
    expect(me.wallets_linked).toBe(1);

    const run = await startWalletSignIn();
    expect((await presentToVerifier(linkWallet, run.wallet_url, { fetch })).status).toBe(200);
    const signedIn = (await (await finish(run)).json()) as { code: string };
    expect(decodeJwt((await idToken(signedIn.code, run.pkce.verifier)).id_token).sub).toBe(me.sub);

    const bobLink = (await (await call("/account/v1/wallet/link", {}, bob)).json()) as { transaction_id: string; page_secret: string; wallet_url: string };
    const bobPresented = await presentToVerifier(linkWallet, bobLink.wallet_url, { fetch });
    expect(bobPresented.status).toBe(200);
    await confirm(bobPresented.response);
    const taken = await call("/account/v1/wallet/link/finish", { transaction_id: bobLink.transaction_id, page_secret: bobLink.page_secret }, bob);
    expect(taken.status).toBe(409);
  });
});

describe("bad input", () => {
  test("the wallet and verifier endpoints answer malformed requests with RFC 6749 JSON, never a 500", async () => {
    const run = await startWalletSignIn();
    const responseUri = `/oid4vp/v1/response/${run.transaction_id}`;
    const cases: [string, RequestInit, number][] = [
      ["/oid4vp/v1/response/unknown", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "response=x" }, 404],
      [responseUri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "response=not.a.jwe" }, 400],
      ["/oid4vp/v1/presentations", { method: "POST", headers: { authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`, "content-type": "application/json" }, body: "{not json" }, 400],
      ["/oid4vp/v1/presentations", { method: "POST", headers: { authorization: `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`, "content-type": "application/json" }, body: JSON.stringify({ response_mode: "fragment" }) }, 400],
      ["/oid4vp/v1/request/x", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" }, 400],
      [`/oid4vp/v1/request/${"x".repeat(3000)}`, {}, 404],
    ];
    for (const [path, init, status] of cases) {
      const response = await server.fetch(path, init);
      const body = (await response.json()) as { error?: string };
      expect({ path: path.slice(0, 60), status: response.status, hasError: typeof body.error === "string" }).toEqual({ path: path.slice(0, 60), status, hasError: true });
    }
    // The garbage answer was not the transaction's own: it ended nothing, and the page keeps waiting.
    expect((await finish(run)).status).toBe(202);
  });
});

describe("DCQL policy", () => {
  test("a relying party's own query decides what its wallet sign-ins ask for, and what its id_token carries", async () => {
    const queryFile = join(server.dataDir, "..", `dcql-${crypto.randomUUID()}.json`);
    await Bun.write(queryFile, JSON.stringify({ credentials: [{ id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["family_name"] }] }] }));
    try {
      await server.cliOk(["verifier", "set", "localhost", "--client", p.clientId, "--dcql", queryFile]);
      const run = await startWalletSignIn();
      const presented = await presentToVerifier(wallet, run.wallet_url, { fetch });
      expect(presented.status).toBe(200);
      // The relying party's claim, plus the subject identifier every sign-in asks for (test/wallet-identity.test.ts).
      expect(presented.request.payload.dcql_query.credentials[0]!.claims!.map((claim) => claim.path)).toEqual([["family_name"], ["personal_administrative_number"], ["sub"]]);
      const done = (await (await finish(run)).json()) as { code: string };
      const claims = decodeJwt((await idToken(done.code, run.pkce.verifier)).id_token);
      expect(claims.family_name).toBe("Mustermann");
      expect(claims.given_name).toBeUndefined();
      const unknownClient = await server.cli(["verifier", "set", "localhost", "--client", "nobody", "--dcql", queryFile]);
      expect(unknownClient.code).not.toBe(0);
    } finally {
      await server.cliOk(["verifier", "set", "localhost", "--client", p.clientId, "--default-dcql"]);
      rmSync(queryFile, { force: true });
    }
  });
});

describe("trust", () => {
  test("a credential from an issuer the tenant does not trust is refused; trusting its CA makes it pass", async () => {
    const stranger = await createTestIssuer({ caName: "Stranger CA" });
    const strangerWallet = await createTestWallet(stranger);
    const run = await startWalletSignIn();
    const refused = await presentToVerifier(strangerWallet, run.wallet_url, { fetch });
    expect(refused.status).toBe(400);
    expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === run.transaction_id && line.check === "issuer_trust")).toBeDefined();
    const out = await server.cliOk(["trust", "add", "localhost", `--cert=${stranger.ca.pem}`]);
    const fingerprint = /(\S+)$/.exec(out.trim())![1]!;
    const next = await startWalletSignIn();
    expect((await presentToVerifier(strangerWallet, next.wallet_url, { fetch })).status).toBe(200);
    await server.cliOk(["trust", "remove", "localhost", fingerprint]);
    const after = await startWalletSignIn();
    expect((await presentToVerifier(strangerWallet, after.wallet_url, { fetch })).status).toBe(400);
    const bad = await server.cli(["trust", "add", "localhost", "--cert", "not a pem"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
