// Client authentication at the token endpoint (RFC 6749 §2.3.1, §5.2): exactly one method per request,
// Basic credentials form-decoded, failures are 401 invalid_client (with WWW-Authenticate when Basic was used).
// Every refusal below is made with a real, unspent code, so a check that let the client through would issue tokens.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { expectJsonError } from "../support/negative.ts";
import { obtainCode } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
/** A confidential client whose id needs form-encoding: '+' would otherwise decode to a space. */
const ODD_ID = "a+b@rp.example";
let odd: Provisioned;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  const out = await server.cliOk(["client", "add", "localhost", ODD_ID, "--redirect-uri", p.redirectUri, "--confidential"]);
  odd = { ...p, clientId: ODD_ID, clientSecret: /^secret: (\S+)$/m.exec(out)![1]! };
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const formEncode = (text: string) => encodeURIComponent(text).replace(/%20/g, "+");
const basicHeader = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

/** A fresh code for `clientId` and the form that exchanges it, without any client authentication. */
async function codeForm(clientId: string): Promise<Record<string, string>> {
  const flow = await obtainCode(server, p, { clientId });
  return { grant_type: "authorization_code", code: flow.code, redirect_uri: p.redirectUri, code_verifier: flow.pkce!.verifier };
}

const post = (form: Record<string, string>, authorization?: string) =>
  server.fetch("/oauth2/v1/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form),
  });

async function expectInvalidClient(response: Response, viaBasic: boolean): Promise<void> {
  const challenge = response.headers.get("www-authenticate");
  await expectJsonError(response, 401, "invalid_client");
  if (viaBasic) expect(challenge ?? "").toMatch(/^Basic\b/i);
}

test("a wrong secret via Basic gets 401 invalid_client with a Basic WWW-Authenticate challenge", async () => {
  await expectInvalidClient(await post(await codeForm(p.clientId), basicHeader(p.clientId, `${p.clientSecret}x`)), true);
});

test("a wrong secret via client_secret_post gets 401 invalid_client", async () => {
  await expectInvalidClient(await post({ ...(await codeForm(p.clientId)), client_id: p.clientId, client_secret: "wrong" }), false);
});

test("a confidential client without any secret gets 401 invalid_client", async () => {
  await expectInvalidClient(await post({ ...(await codeForm(p.clientId)), client_id: p.clientId }), false);
});

test("Basic credentials are form-decoded: a client id with '+' and '@' sent form-encoded authenticates", async () => {
  const encodedId = formEncode(ODD_ID);
  expect(encodedId).toBe("a%2Bb%40rp.example");
  const response = await post(await codeForm(ODD_ID), basicHeader(encodedId, formEncode(odd.clientSecret)));
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token?: string; id_token?: string };
  expect(body.access_token).toBeString();
  const aud = JSON.parse(Buffer.from(body.id_token!.split(".")[1]!, "base64url").toString()).aud;
  expect(aud).toBe(ODD_ID);
});

test("Basic credentials are form-decoded: the same id sent raw has its '+' read as a space and fails with invalid_client", async () => {
  await expectInvalidClient(await post(await codeForm(ODD_ID), basicHeader(ODD_ID, odd.clientSecret)), true);
});

test("Basic and client_secret_post in one request get 400 invalid_request", async () => {
  const form = { ...(await codeForm(p.clientId)), client_id: p.clientId, client_secret: p.clientSecret };
  await expectJsonError(await post(form, basicHeader(p.clientId, p.clientSecret)), 400, "invalid_request");
});

test("a Basic header and a different client_id in the body get 400 invalid_request", async () => {
  const form = { ...(await codeForm(p.clientId)), client_id: p.publicClientId };
  await expectJsonError(await post(form, basicHeader(p.clientId, p.clientSecret)), 400, "invalid_request");
});

test("a public client sending a secret in the body gets 401 invalid_client", async () => {
  await expectInvalidClient(await post({ ...(await codeForm(p.publicClientId)), client_id: p.publicClientId, client_secret: "made-up" }), false);
});

test("a public client sending Basic credentials gets 401 invalid_client", async () => {
  await expectInvalidClient(await post(await codeForm(p.publicClientId), basicHeader(p.publicClientId, "made-up")), true);
});

test("an unknown client gets 401 invalid_client, via Basic and via the body", async () => {
  await expectInvalidClient(await post(await codeForm(p.clientId), basicHeader("nobody", p.clientSecret)), true);
  await expectInvalidClient(await post({ ...(await codeForm(p.clientId)), client_id: "nobody", client_secret: p.clientSecret }), false);
  await expectInvalidClient(await post({ ...(await codeForm(p.publicClientId)), client_id: "nobody" }), false);
});

test("another client's secret does not authenticate a client", async () => {
  await expectInvalidClient(await post(await codeForm(p.clientId), basicHeader(p.clientId, odd.clientSecret)), true);
});

test("control: the right secret authenticates via Basic, via the body, and the public client with none", async () => {
  expect((await post(await codeForm(p.clientId), basicHeader(p.clientId, p.clientSecret))).status).toBe(200);
  expect((await post({ ...(await codeForm(p.clientId)), client_id: p.clientId, client_secret: p.clientSecret })).status).toBe(200);
  expect((await post({ ...(await codeForm(p.publicClientId)), client_id: p.publicClientId })).status).toBe(200);
});
