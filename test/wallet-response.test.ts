// The response endpoint ends a transaction only on an answer that is the transaction's own: one
// that decrypts with its key and carries its state (OpenID4VP 1.0 §8.3.1, §14.3.2). Junk posted
// to a response_uri (anyone who saw the QR code knows it) is refused and changes nothing, and the
// wallet's real answer after it still signs in; a wallet's error with the right state ends it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { CompactEncrypt, generateKeyPair } from "jose";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { fetchRequestObject } from "./support/wallet/fetch-request-object.ts";
import { walletFlow } from "./support/wallet/sign-in-flow.ts";
import { createTestIssuer, pidClaims } from "./support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let wallet: TestWallet;
let flow: ReturnType<typeof walletFlow>;

beforeAll(async () => {
  const issuer = await createTestIssuer({ caName: "Response CA" });
  wallet = await createTestWallet(issuer, { claims: pidClaims({ personal_administrative_number: "J-0001", given_name: "Junia" }) });
  server = await startSigil();
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
  flow = walletFlow(server, p);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const postForm = (uri: string, form: Record<string, string>) =>
  fetch(uri, { method: "POST", body: new URLSearchParams(form), headers: { "content-type": "application/x-www-form-urlencoded" } });

test("junk posted to response_uri is refused with a 400 and leaves the transaction pending; the real answer after it signs in", async () => {
  const run = await flow.startSignIn();
  const request = await fetchRequestObject(run.wallet_url, fetch);
  const { response_uri: responseUri, state } = request.payload;
  const stranger = await generateKeyPair("ECDH-ES", { crv: "P-256" });
  const toStranger = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ vp_token: { pid: ["x~"] }, state })))
    .setProtectedHeader({ alg: "ECDH-ES", enc: "A128GCM", kid: "stranger" })
    .encrypt(stranger.publicKey);
  const junk: Record<string, string>[] = [
    { response: "not.a.jwe" },
    { response: toStranger },
    { vp_token: JSON.stringify({ pid: ["x~"] }), state: state! },
    { error: "access_denied", state: "not-the-state" },
    { error: "access_denied" },
    {},
  ];
  for (const form of junk) {
    const answer = await postForm(responseUri, form);
    expect({ form: Object.keys(form), status: answer.status }).toEqual({ form: Object.keys(form), status: 400 });
    expect(((await answer.json()) as { error: string }).error).toBeString();
    expect((await flow.finish(run)).status).toBe(202);
  }
  const presented = await presentToVerifier(wallet, request.jwt, { fetch });
  expect(presented.status).toBe(200);
  expect((await flow.tokens(await flow.finish(run), run)).idToken.given_name).toBe("Junia");
});

test("the wallet's own error, with the transaction's state, ends the transaction", async () => {
  const run = await flow.startSignIn();
  const request = await fetchRequestObject(run.wallet_url, fetch);
  const answer = await postForm(request.payload.response_uri, { error: "access_denied", error_description: "the user declined", state: request.payload.state! });
  expect(answer.status).toBe(400);
  const page = await flow.finish(run);
  expect(page.status).toBe(400);
  expect(((await page.json()) as { error_description: string }).error_description).toContain("declined");
  expect((await presentToVerifier(wallet, request.jwt, { fetch })).status).toBe(400);
});
