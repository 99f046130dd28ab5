// ISO mdoc (mso_mdoc) presentations over HTTP: an openid-client relying party signs a person in with
// an mdoc PID (claims under the SD-JWT PID names in the id_token and userinfo), the verifier API
// verifies an mDL, a "PID in either format" credential_sets query is answered with either format,
// and every mdoc negative switch of the test wallet is refused with a 4xx, its check named in the
// audit trail and the transaction failed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import * as client from "openid-client";
import { AuditReader } from "./support/audit.ts";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { buildAuthorization, discoverRelyingParty, type RelyingParty } from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { answerDcApiRequests, type DigitalCredentialAnswer, type DigitalCredentialGetRequest } from "./support/wallet/dc-api.ts";
import { MDOC_SWITCHES, type MdocSwitch } from "./support/wallet/mdoc-holder.ts";
import { createMdocIssuer, MDL_DOCTYPE, PID_DOCTYPE, type MdocIssuer } from "./support/wallet/mdoc-issuer.ts";
import { createTestIssuer, type TestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier, type PresentOptions, type TestWallet } from "./support/wallet/wallet.ts";

const NS = "eu.europa.ec.eudi.pid.1";
const EITHER_FORMAT = {
  credentials: [
    { id: "pid_sd_jwt", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["given_name"] }, { path: ["family_name"] }, { path: ["birthdate"] }] },
    { id: "pid_mdoc", format: "mso_mdoc", meta: { doctype_value: PID_DOCTYPE }, claims: [{ path: [NS, "given_name"], intent_to_retain: false }, { path: [NS, "family_name"] }, { path: [NS, "birth_date"] }] },
  ],
  credential_sets: [{ options: [["pid_sd_jwt"], ["pid_mdoc"]] }],
};
const MDOC_PID_ONLY = { credentials: [EITHER_FORMAT.credentials[1]!] };

let server: SigilServer;
let p: Provisioned;
let issuer: TestIssuer;
let mdocIssuer: MdocIssuer;
let wallet: TestWallet;
let audit: AuditReader;
let rp: RelyingParty;
let statusServer: ReturnType<typeof Bun.serve>;
let queryFile: string;

const basic = () => `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;

beforeAll(async () => {
  statusServer = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async () => new Response(await issuer.statusListToken(), { headers: { "content-type": "application/statuslist+jwt" } }) });
  issuer = await createTestIssuer({ statusListUri: `http://127.0.0.1:${statusServer.port}/status/1` });
  mdocIssuer = await createMdocIssuer(issuer);
  wallet = await createTestWallet(issuer, { mdocIssuer });
  server = await startSigil({ args: ["--allow-http-fetch", "--allow-private-fetch"] });
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  await server.cliOk(["trust", "add", "localhost", `--cert=${mdocIssuer.iaca.pem}`]);
  queryFile = join(server.dataDir, "..", `dcql-mdoc-${crypto.randomUUID()}.json`);
  await Bun.write(queryFile, JSON.stringify(EITHER_FORMAT));
  await server.cliOk(["verifier", "set", "localhost", "--client", p.clientId, "--dcql", queryFile]);
  rp = await discoverRelyingParty(server, p, "confidential");
  audit = new AuditReader(server.dataDir);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  rmSync(queryFile, { force: true });
  statusServer.stop(true);
});

/** openid-client authorize → the sign-in page's wallet calls → the wallet answers → openid-client's code grant. */
async function signIn(options: Omit<PresentOptions, "fetch">) {
  const pending = await buildAuthorization(rp, p);
  const authorize = await rp.browserFetch(pending.url);
  const returnTo = new URL(authorize.headers.get("location")!, pending.url).searchParams.get("return")!;
  const post = (name: string, body: Record<string, unknown>) =>
    server.fetch(`/oauth2/v1/${name}`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  const started = (await (await post("wallet-start", { return: returnTo })).json()) as { transaction_id: string; wallet_url: string; page_secret: string };
  const presented = await presentToVerifier(wallet, started.wallet_url, { fetch, ...options });
  const finish = await post("wallet-finish", { transaction_id: started.transaction_id, page_secret: started.page_secret });
  return { pending, presented, started, finish };
}

describe("mdoc sign-in at an openid-client relying party", () => {
  test("an mdoc PID signs the person in; the id_token and userinfo carry given_name, family_name and birthdate", async () => {
    const { pending, presented, finish } = await signIn({ preferQuery: "pid_mdoc" });
    expect(presented.status).toBe(200);
    // The request object lists mso_mdoc with COSE algorithms (OpenID4VP 1.0 Appendix B.2.2).
    const metadata = (presented.request.payload as unknown as { client_metadata: { vp_formats_supported: Record<string, unknown> } }).client_metadata;
    expect(metadata.vp_formats_supported.mso_mdoc).toEqual({ issuerauth_alg_values: [-7, -35, -36], deviceauth_alg_values: [-7, -35, -36] });
    expect(finish.status).toBe(200);
    const { redirect } = (await finish.json()) as { redirect: string };
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(redirect), { expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12", acr: "urn:sigil:acr:eudi-wallet" });
    expect(claims).not.toHaveProperty("birth_date");
    expect(claims).not.toHaveProperty(NS);
    expect(claims).not.toHaveProperty("personal_administrative_number");
    const userinfo = await client.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12" });
  });

  test("the same credential_sets query answered with the SD-JWT PID signs in too", async () => {
    const { presented, finish } = await signIn({ preferQuery: "pid_sd_jwt" });
    expect(presented.status).toBe(200);
    expect(finish.status).toBe(200);
  });

  test("an mdoc PID disclosing fewer elements than the query requires is refused", async () => {
    const { presented, started } = await signIn({ preferQuery: "pid_mdoc", mdocSwitches: ["mdocOmitRequired"] });
    expect(presented.status).toBe(400);
    expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === started.transaction_id)).toMatchObject({ check: "dcql_unsatisfied" });
  });
});

describe("mdoc sign-in over the Digital Credentials API (dc_api.jwt, OpenID4VPDCAPIHandover)", () => {
  const post = (path: string, body: Record<string, unknown>) =>
    server.fetch(path, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  /** What the page posts: the DigitalCredential's protocol and its data's members. */
  const posted = (credential: DigitalCredentialAnswer): Record<string, string> => ({
    protocol: credential.protocol,
    ...Object.fromEntries(Object.entries(credential.data).map(([name, value]) => [name, typeof value === "string" ? value : JSON.stringify(value)])),
  });
  async function start() {
    const pending = await buildAuthorization(rp, p);
    const authorize = await rp.browserFetch(pending.url);
    const returnTo = new URL(authorize.headers.get("location")!, pending.url).searchParams.get("return")!;
    const response = await post("/oauth2/v1/wallet-start", { return: returnTo, flow: "dc_api" });
    expect(response.status).toBe(201);
    return { pending, started: (await response.json()) as { transaction_id: string; page_secret: string; dc_api_request: DigitalCredentialGetRequest } };
  }
  const deliver = (started: { transaction_id: string; page_secret: string }, credential: DigitalCredentialAnswer) =>
    post(`/oid4vp/v1/dc-response/${started.transaction_id}`, { page_secret: started.page_secret, ...posted(credential) });

  test("the wallet answers with an mdoc PID bound to the page's origin and the person is signed in", async () => {
    const { pending, started } = await start();
    const credential = await answerDcApiRequests(wallet, [started.dc_api_request], server.origin(), { preferQuery: "pid_mdoc" });
    expect(Object.keys(credential.data)).toEqual(["response"]);
    const delivered = await deliver(started, credential);
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ status: "verified" });
    const finish = await post("/oauth2/v1/wallet-finish", { transaction_id: started.transaction_id, page_secret: started.page_secret });
    expect(finish.status).toBe(200);
    const { redirect } = (await finish.json()) as { redirect: string };
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(redirect), { expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier });
    expect(tokens.claims()).toMatchObject({ given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12" });
    expect(await audit.find((line) => line.event === "wallet.verified" && line.transaction_id === started.transaction_id && line.channel === "dc_api")).toMatchObject({ credential_queries: ["pid_mdoc"] });
  });

  test("an mdoc whose handover names another origin is refused on the device signature, and the sign-in goes no further", async () => {
    const { started } = await start();
    // A wallet that answers a request relayed to another page binds the mdoc to that page's origin (A.4).
    const credential = await answerDcApiRequests(wallet, [started.dc_api_request], "https://evil.example", { preferQuery: "pid_mdoc", ignoreExpectedOrigins: true });
    const delivered = await deliver(started, credential);
    expect(delivered.status).toBe(400);
    expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === started.transaction_id)).toMatchObject({ check: "mdoc_device_signature" });
    const finish = await post("/oauth2/v1/wallet-finish", { transaction_id: started.transaction_id, page_secret: started.page_secret });
    expect(finish.status).toBe(400);
  });
});

describe("verifier API with mdoc queries", () => {
  async function create(dcqlQuery: unknown) {
    const created = await server.fetch("/oid4vp/v1/presentations", {
      method: "POST", headers: { authorization: basic(), "content-type": "application/json" }, body: JSON.stringify({ dcql_query: dcqlQuery }),
    });
    expect(created.status).toBe(201);
    return (await created.json()) as { transaction_id: string; wallet_url: string };
  }
  const read = async (id: string) => (await server.fetch(`/oid4vp/v1/presentations/${id}`, { headers: { authorization: basic() } })).json() as Promise<Record<string, unknown>>;

  test("an mDL is verified and the relying party reads the requested elements by namespace", async () => {
    const created = await create({ credentials: [{ id: "mdl", format: "mso_mdoc", meta: { doctype_value: MDL_DOCTYPE }, claims: [{ path: ["org.iso.18013.5.1", "family_name"] }, { path: ["org.iso.18013.5.1", "document_number"] }] }] });
    expect((await presentToVerifier(wallet, created.wallet_url, { fetch, withStatus: true })).status).toBe(200);
    expect(await read(created.transaction_id)).toMatchObject({ status: "verified", claims: { mdl: { "org.iso.18013.5.1": { family_name: "Mustermann", document_number: "T22000129" } } } });
  });

  // ISO/IEC 18013-5 §9.1.2.4 lets an issuer sign with ES384 or ES512; the device key stays the wallet's P-256 one.
  for (const curve of ["P-384", "P-521"] as const) {
    test(`an mdoc PID under a ${curve} IACA and document signer (IssuerAuth ${curve === "P-384" ? "ES384" : "ES512"}) with a P-256 device key is verified`, async () => {
      const otherIssuer = await createMdocIssuer(issuer, { curve, iacaName: `CN=Sigil Test ${curve} IACA, O=Sigil tests, C=DE` });
      const holder = await createTestWallet(issuer, { mdocIssuer: otherIssuer });
      const query = { credentials: [{ id: "pid", format: "mso_mdoc", meta: { doctype_value: PID_DOCTYPE }, claims: [{ path: [NS, "family_name"] }] }] };
      // Not yet trusted: the chain alone decides.
      const untrusted = await create(query);
      expect((await presentToVerifier(holder, untrusted.wallet_url, { fetch })).status).toBe(400);
      expect(await read(untrusted.transaction_id)).toMatchObject({ status: "failed" });
      await server.cliOk(["trust", "add", "localhost", `--cert=${otherIssuer.iaca.pem}`]);
      const created = await create(query);
      expect((await presentToVerifier(holder, created.wallet_url, { fetch })).status).toBe(200);
      expect(await read(created.transaction_id)).toMatchObject({ status: "verified", claims: { pid: { [NS]: { family_name: "Mustermann" } } } });
    });
  }

  test("credential_sets 'PID in either format': the mdoc answer and the SD-JWT answer both satisfy it", async () => {
    for (const prefer of ["pid_mdoc", "pid_sd_jwt"]) {
      const created = await create(EITHER_FORMAT);
      expect((await presentToVerifier(wallet, created.wallet_url, { fetch, preferQuery: prefer })).status).toBe(200);
      const verified = (await read(created.transaction_id)) as { status: string; claims: Record<string, unknown> };
      expect(verified.status).toBe("verified");
      expect(Object.keys(verified.claims)).toEqual([prefer]);
    }
  });

  const expected: Record<MdocSwitch, string> = {
    mdocWrongDocType: "mdoc_doctype", mdocTamperedValue: "mdoc_digest", mdocDigestMissing: "mdoc_digest", mdocExpired: "credential_expired",
    mdocWrongTranscript: "mdoc_device_signature", mdocWrongNonce: "mdoc_device_signature", mdocOtherClientId: "mdoc_device_signature",
    mdocUntrustedChain: "issuer_trust", mdocRevoked: "status_revoked", mdocOmitRequired: "dcql_unsatisfied", mdocDeviceMac: "mdoc_device_mac",
  };
  for (const name of MDOC_SWITCHES) {
    test(`${name} is refused with a 4xx, ${expected[name]} in the audit trail, and the transaction failed`, async () => {
      const created = await create(MDOC_PID_ONLY);
      const presented = await presentToVerifier(wallet, created.wallet_url, { fetch, mdocSwitches: [name] });
      expect(presented.status).toBeGreaterThanOrEqual(400);
      expect(presented.status).toBeLessThan(500);
      expect(presented.response).toMatchObject({ error: expect.any(String) });
      expect(await audit.find((line) => line.event === "wallet.rejected" && line.transaction_id === created.transaction_id)).toMatchObject({ check: expected[name] });
      expect((await read(created.transaction_id)).status).toBe("failed");
    });
  }
});
