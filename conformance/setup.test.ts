// conformance/setup on a fresh data directory, then the OID4VP plan files filled in with what it
// recorded, and a Sigil on that directory answering the way the suite's verifier modules need:
// the wallet URL is the suite's authorization endpoint, the request object is signed under the
// recorded trust anchor, and a PID signed with the recorded credential.signing_jwk is accepted.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importJWK, type JWK } from "jose";
import { certificateFromX5c } from "../src/oid4vp/x509.ts";
import { removeDataDir, startSigil, type SigilServer } from "../test/support/sigil.ts";
import { fetchRequestObject } from "../test/support/wallet/fetch-request-object.ts";
import { createTestIssuer } from "../test/support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier } from "../test/support/wallet/wallet.ts";
import { loadPlanFile } from "./plan-file.ts";

const HERE = import.meta.dir;
const SUITE = "https://suite.example";
const HOST = "localhost";
const dataDir = mkdtempSync(join(tmpdir(), "sigil-setup-"));
let secrets: Record<string, string>;
let server: SigilServer;

beforeAll(async () => {
  // The secrets go into the data directory, never over an operator's conformance/secrets.json.
  const secretsPath = join(dataDir, "conformance-secrets.json");
  const run = Bun.spawnSync([process.execPath, join(HERE, "setup.ts"), "--data", dataDir, "--host", HOST, "--suite", `${SUITE}/`], {
    stdout: "pipe", stderr: "pipe", env: { ...process.env, CONFORMANCE_SECRETS: secretsPath },
  });
  if (run.exitCode !== 0) throw new Error(`setup failed: ${run.stderr.toString()}`);
  secrets = JSON.parse(readFileSync(secretsPath, "utf8")) as Record<string, string>;
  server = await startSigil({ dataDir });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  removeDataDir(dataDir);
});

test("records the secrets every plan file names, and every plan file fills in to valid JSON", () => {
  for (const key of ["user-password", "conformance-basic", "conformance-basic-2", "conformance-post", "conformance-verifier", "credential-signing-jwk", "request-object-trust-anchor"]) expect(secrets[key]).toBeString();
  const planDir = join(HERE, "plans");
  for (const file of readdirSync(planDir).filter((f) => f.endsWith(".json"))) {
    const { plan } = loadPlanFile(file, readFileSync(join(planDir, file), "utf8"), { sigilUrl: "https://sigil.example.org/", suiteUrl: SUITE, secrets });
    if (!plan.planName.startsWith("oid4vp")) continue;
    const config = plan.config as { client: Record<string, string>; credential: { signing_jwk: JWK } };
    expect(config.client.request_object_trust_anchor_pem).toStartWith("-----BEGIN CERTIFICATE-----\n");
    expect(config.credential.signing_jwk).toMatchObject({ kty: "EC", crv: "P-256", d: expect.any(String), x5c: [expect.any(String)] });
    expect(plan.verifier).toMatchObject({ client_id: "conformance-verifier", client_secret: secrets["conformance-verifier"] });
    expect(plan.verifier!.response_mode).toBe(plan.variant!.response_mode as "direct_post" | "direct_post.jwt");
    if (plan.variant!.client_id_prefix === "x509_san_dns") expect(config.client.client_id).toBe("sigil.example.org");
  }
});

test("the verifier API hands out the suite's authorization endpoint, a request signed under the anchor, and accepts a PID signed with credential.signing_jwk", async () => {
  const created = await server.fetch("/oid4vp/v1/presentations", {
    method: "POST", headers: { authorization: `Basic ${btoa(`conformance-verifier:${secrets["conformance-verifier"]}`)}`, "content-type": "application/json" },
    body: JSON.stringify({ response_mode: "direct_post.jwt" }),
  });
  expect(created.status).toBe(201);
  const { wallet_url: walletUrl } = (await created.json()) as { wallet_url: string };
  const url = new URL(walletUrl);
  expect(`${url.origin}${url.pathname}`).toBe(`${SUITE}/test/a/sigil/authorize`);
  expect(url.searchParams.get("client_id")).toStartWith("x509_hash:");
  const hostFetch = (target: string, init: RequestInit = {}) => server.fetch(new URL(target).pathname, init as never);
  const fetched = await fetchRequestObject(walletUrl, hostFetch);
  const leaf = certificateFromX5c((fetched.header.x5c as string[])[0]!);
  expect(await leaf.isSelfSigned()).toBe(false);
  const anchor = certificateFromX5c(secrets["request-object-trust-anchor"]!.replace(/-----[^-]+-----|\s/g, ""));
  expect(await leaf.verify({ publicKey: anchor.publicKey, signatureOnly: true })).toBe(true);

  // The suite's mock PID issuer: the recorded key, named by its x5c.
  const jwk = JSON.parse(secrets["credential-signing-jwk"]!) as JWK & { x5c: string[] };
  const privateKey = (await importJWK(jwk, "ES256")) as CryptoKey;
  const { d: _d, ...publicJwk } = jwk;
  const publicKey = (await importJWK({ ...publicJwk, key_ops: ["verify"] }, "ES256")) as CryptoKey;
  const certificate = certificateFromX5c(jwk.x5c[0]!);
  const leafMaterial = { keys: { privateKey, publicKey }, certificate, x5c: jwk.x5c };
  const issuer = await createTestIssuer({ material: { ca: { name: "", keys: leafMaterial.keys, certificate, pem: "" }, leaf: leafMaterial } });
  const presented = await presentToVerifier(await createTestWallet(issuer), fetched.jwt, { fetch: hostFetch });
  expect(presented.status).toBe(200);
});
