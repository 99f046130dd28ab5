// EU Wallet presentations over the W3C Digital Credentials API, black-box through HTTP: the test
// plays the sign-in page (or the relying party's page and backend) and the platform, which hands
// the request and the page's Origin to the test wallet (test/support/wallet/dc-api.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { AuditReader } from "./support/audit.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { pkcePair, startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { answerDcApiRequests, type DcApiAnswerOptions, type DigitalCredentialAnswer, type DigitalCredentialGetRequest } from "./support/wallet/dc-api.ts";
import { walletFlow } from "./support/wallet/sign-in-flow.ts";
import { createTestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let wallet: TestWallet;
let audit: AuditReader;

beforeAll(async () => {
  const issuer = await createTestIssuer();
  wallet = await createTestWallet(issuer);
  server = await startSigil();
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  audit = new AuditReader(server.dataDir);
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

/** What a page posts: the DigitalCredential's protocol and its data's members (objects as JSON). */
const posted = (credential: DigitalCredentialAnswer): Record<string, string> => ({
  protocol: credential.protocol,
  ...Object.fromEntries(Object.entries(credential.data).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)])),
});
const payloadOf = (request: DigitalCredentialGetRequest) => decodeJwt(request.data.request as string) as Record<string, unknown>;

describe("sign-in over the Digital Credentials API", () => {
  const post = (path: string, body: Record<string, unknown>) =>
    server.fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  /** The page's wallet-start with flow=dc_api for a fresh authorization request. */
  async function start() {
    const pkce = pkcePair();
    const { returnTo } = await startAuthorization(server, p, { pkce });
    const response = await post("/oauth2/v1/wallet-start", { return: returnTo, flow: "dc_api" });
    expect(response.status).toBe(201);
    const started = (await response.json()) as { transaction_id: string; page_secret: string; dc_api_request: DigitalCredentialGetRequest; response_uri: string };
    return { ...started, pkce };
  }
  const answer = (started: { dc_api_request: DigitalCredentialGetRequest }, origin = server.origin(), options: DcApiAnswerOptions = {}) =>
    answerDcApiRequests(wallet, [started.dc_api_request], origin, options);
  const deliver = (started: { transaction_id: string; page_secret: string }, body: Record<string, string>, secret = started.page_secret) =>
    post(`/oid4vp/v1/dc-response/${started.transaction_id}`, { page_secret: secret, ...body });

  test("the page passes the signed request to the API, posts the answer, and completes the sign-in with the PID claims", async () => {
    const started = await start();
    expect(started.dc_api_request.protocol).toBe("openid4vp-v1-signed");
    expect(started.response_uri).toBe(`${server.origin()}/oid4vp/v1/dc-response/${started.transaction_id}`);
    const payload = payloadOf(started.dc_api_request);
    expect(payload).toMatchObject({ response_mode: "dc_api.jwt", response_type: "vp_token", expected_origins: [server.origin()] });
    for (const absent of ["state", "response_uri", "redirect_uri"]) expect(payload).not.toHaveProperty(absent);
    // No request_uri serves a DC API request: it reaches the wallet through the page alone.
    expect((await server.fetch(`/oid4vp/v1/request/${started.transaction_id}`)).status).toBe(404);

    const credential = await answer(started);
    expect(Object.keys(credential.data)).toEqual(["response"]);
    const delivered = await deliver(started, posted(credential));
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ status: "verified" });
    const done = await walletFlow(server, p).finish(started);
    const { idToken, userinfo } = await walletFlow(server, p).tokens(done, { ...started, pkce: started.pkce } as never);
    expect(idToken).toMatchObject({ acr: "urn:sigil:acr:eudi-wallet", given_name: "Erika", family_name: "Mustermann" });
    expect(userinfo.family_name).toBe("Mustermann");
    expect(await audit.find((line) => line.event === "wallet.verified" && line.transaction_id === started.transaction_id && line.channel === "dc_api")).toBeDefined();
  });

  test("an answer needs the page's secret, and without it nothing is ended", async () => {
    const started = await start();
    const body = posted(await answer(started));
    const stranger = await deliver(started, body, "not-the-secret");
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: string }).error).toBe("invalid_request");
    expect((await deliver(started, body)).status).toBe(200);
  });

  test("a DC API answer posted straight to response_uri is no answer there", async () => {
    const started = await start();
    const body = posted(await answer(started));
    const direct = await server.fetch(`/oid4vp/v1/response/${started.transaction_id}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body) });
    expect(direct.status).toBe(404);
    expect((await deliver(started, body)).status).toBe(200);
  });

  test("refuses an answer bound to another origin, and the page hears why", async () => {
    const started = await start();
    // An honest wallet refuses the relayed request (Appendix A.2)...
    expect((await answer(started, "https://evil.example")).data).toEqual({ error: "invalid_request" });
    // ...and one that answers anyway binds the presentation to the origin it was called from.
    const lax = await answer(started, "https://evil.example", { ignoreExpectedOrigins: true });
    const refused = await deliver(started, posted(lax));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error_description: string }).error_description).toContain("origin");
    expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === started.transaction_id && line.check === "kb_aud")).toBeDefined();
    expect((await walletFlow(server, p).finish(started)).status).toBe(400);
  });

  test("refuses the answer to an unsigned request substituted for the signed one", async () => {
    const started = await start();
    const { aud: _aud, iat: _iat, exp: _exp, ...params } = payloadOf(started.dc_api_request);
    const credential = await answerDcApiRequests(wallet, [{ protocol: "openid4vp-v1-unsigned", data: params }], server.origin());
    expect(credential.protocol).toBe("openid4vp-v1-unsigned");
    const refused = await deliver(started, posted(credential));
    expect(refused.status).toBe(400);
    expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === started.transaction_id && line.check === "dc_api_protocol")).toBeDefined();
  });

  test("refuses a replayed answer, to its own transaction and to another", async () => {
    const first = await start();
    const body = posted(await answer(first));
    expect((await deliver(first, body)).status).toBe(200);
    const again = await deliver(first, body);
    expect(again.status).toBe(400);
    expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === first.transaction_id && line.check === "response_replayed")).toBeDefined();
    const second = await start();
    expect((await deliver(second, body)).status).toBe(400);
    // The second transaction is not ended by someone else's answer: its own still signs in.
    expect((await deliver(second, posted(await answer(second)))).status).toBe(200);
  });

  test("flow must be one the server knows", async () => {
    const { returnTo } = await startAuthorization(server, p);
    const response = await post("/oauth2/v1/wallet-start", { return: returnTo, flow: "dc_api_unsigned" });
    expect(response.status).toBe(400);
  });
});

describe("verifier API over the Digital Credentials API", () => {
  const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
  const create = (body: Record<string, unknown>, client = { id: p.clientId, secret: p.clientSecret }) => server.fetch("/oid4vp/v1/presentations", {
    method: "POST", headers: { authorization: basic(client.id, client.secret), "content-type": "application/json" }, body: JSON.stringify(body),
  });
  const respond = (id: string, body: Record<string, string>, client = { id: p.clientId, secret: p.clientSecret }) => server.fetch(`/oid4vp/v1/presentations/${id}/response`, {
    method: "POST", headers: { authorization: basic(client.id, client.secret), "content-type": "application/json" }, body: JSON.stringify(body),
  });

  test("dc_api.jwt returns the signed request bound to the client's origin; the backend posts the answer and gets the claims", async () => {
    const created = await create({ response_mode: "dc_api.jwt" });
    expect(created.status).toBe(201);
    const presentation = (await created.json()) as { transaction_id: string; dc_api_request: DigitalCredentialGetRequest; expected_origin: string; response_uri: string };
    // The client's origin comes from its registered redirect URI (https://rp.example/cb).
    expect(presentation.expected_origin).toBe("https://rp.example");
    expect(payloadOf(presentation.dc_api_request)).toMatchObject({ response_mode: "dc_api.jwt", expected_origins: ["https://rp.example"] });
    expect(presentation.response_uri).toBe(`${server.origin()}/oid4vp/v1/presentations/${presentation.transaction_id}/response`);
    const credential = await answerDcApiRequests(wallet, [presentation.dc_api_request], "https://rp.example");
    // Another client cannot post it; the owner can, once.
    const other = await server.cliOk(["client", "add", "localhost", "dc-other", "--redirect-uri", "https://other.example/cb", "--confidential"]);
    const otherSecret = /^secret: (\S+)$/m.exec(other)![1]!;
    expect((await respond(presentation.transaction_id, posted(credential), { id: "dc-other", secret: otherSecret })).status).toBe(404);
    const verified = await respond(presentation.transaction_id, posted(credential));
    expect(verified.status).toBe(200);
    const result = (await verified.json()) as { status: string; claims: { pid: Record<string, unknown> } };
    expect(result.status).toBe("verified");
    expect(result.claims.pid.family_name).toBe("Mustermann");
    expect((await respond(presentation.transaction_id, posted(credential))).status).toBe(400);
    const read = await server.fetch(`/oid4vp/v1/presentations/${presentation.transaction_id}`, { headers: { authorization: basic(p.clientId, p.clientSecret) } });
    expect(((await read.json()) as { status: string }).status).toBe("verified");
  });

  test("refuses an answer bound to another origin than the client's", async () => {
    const presentation = (await (await create({ response_mode: "dc_api.jwt" })).json()) as { transaction_id: string; dc_api_request: DigitalCredentialGetRequest };
    const credential = await answerDcApiRequests(wallet, [presentation.dc_api_request], "https://evil.example", { ignoreExpectedOrigins: true });
    expect((await respond(presentation.transaction_id, posted(credential))).status).toBe(400);
  });

  test("refuses an origin the client did not register, a redirect_uri, and unencrypted dc_api unless the operator allows it", async () => {
    expect((await create({ response_mode: "dc_api.jwt", expected_origin: "https://evil.example" })).status).toBe(400);
    expect((await create({ response_mode: "dc_api.jwt", expected_origin: "https://rp.example" })).status).toBe(201);
    expect((await create({ response_mode: "dc_api.jwt", redirect_uri: p.redirectUri })).status).toBe(400);
    const unencrypted = await create({ response_mode: "dc_api" });
    expect(unencrypted.status).toBe(400);
    expect(((await unencrypted.json()) as { error_description: string }).error_description).toContain("dc_api.jwt");
    expect((await create({ response_mode: "dc_api.cbor" })).status).toBe(400);
  });

  test("a redirect presentation's answer is not taken on the DC API endpoint", async () => {
    const presentation = (await (await create({})).json()) as { transaction_id: string };
    expect((await respond(presentation.transaction_id, { protocol: "openid4vp-v1-signed", response: "a.b.c.d.e" })).status).toBe(404);
  });
});
