// An independent wallet implementation (@openid4vc/openid4vp's wallet side) against the running
// server: it resolves and verifies Sigil's request objects (x509_hash and x509_san_dns), and the
// encrypted response it produces is accepted, as the verifier API then reports.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Openid4vpClient } from "@openid4vc/openid4vp";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import type { RequestObjectPayload } from "./support/wallet/fetch-request-object.ts";
import { openid4vcCallbacks } from "./support/wallet/openid4vc-callbacks.ts";
import { createTestIssuer } from "./support/wallet/test-issuer.ts";
import { buildVpToken, createTestWallet, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let wallet: TestWallet;

beforeAll(async () => {
  const issuer = await createTestIssuer();
  wallet = await createTestWallet(issuer);
  // The library insists on https request_uris: Sigil runs as it would behind a TLS proxy, and
  // `viaProxy` plays that proxy for the test (https://localhost:PORT in, plain HTTP to Sigil).
  server = await startSigil({ args: ["--trust-proxy"] });
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuer.ca.pem}`]);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const basic = () => `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;

const viaProxy = (input: string | URL, init: RequestInit = {}): Promise<Response> => {
  const url = new URL(input);
  if (url.protocol !== "https:" || url.hostname !== "localhost" || url.port !== String(server.port)) throw new Error(`unexpected request to ${url.href}`);
  const headers = new Headers(init.headers);
  headers.set("x-forwarded-proto", "https");
  headers.set("x-forwarded-host", url.host);
  return fetch(`http://127.0.0.1:${server.port}${url.pathname}${url.search}`, { ...init, headers });
};
const origin = () => `https://localhost:${server.port}`;

async function createPresentation() {
  const response = await viaProxy(`${origin()}/oid4vp/v1/presentations`, { method: "POST", headers: { authorization: basic(), "content-type": "application/json" }, body: "{}" });
  expect(response.status).toBe(201);
  return (await response.json()) as { transaction_id: string; wallet_url: string };
}

describe("@openid4vc/openid4vp's wallet side against the running verifier", () => {
  for (const prefix of ["x509_hash", "x509_san_dns"] as const) {
    test(`resolves and verifies a ${prefix} request object, and its encrypted response is accepted`, async () => {
      await server.cliOk(["verifier", "set", "localhost", "--client-id-prefix", prefix]);
      const presentation = await createPresentation();
      const client = new Openid4vpClient({ callbacks: openid4vcCallbacks(viaProxy) });
      const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: presentation.wallet_url });
      const resolved = await client.resolveOpenId4vpAuthorizationRequest({
        authorizationRequestPayload: parsed.params,
        wallet: { metadata: { authorization_encryption_enc_values_supported: ["A128GCM"] } } as never,
      });
      expect(resolved.client.prefix).toBe(prefix);
      expect(resolved.client.effective).toStartWith(`${prefix}:`);
      expect(resolved.authorizationRequestPayload.client_id).toBe(resolved.client.effective);
      const vpToken = await buildVpToken(wallet, resolved.authorizationRequestPayload as unknown as RequestObjectPayload);
      const response = await client.createOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: resolved.authorizationRequestPayload,
        authorizationResponsePayload: { vp_token: vpToken as never },
        jarm: {
          encryption: { nonce: resolved.authorizationRequestPayload.nonce },
          serverMetadata: {
            authorization_signing_alg_values_supported: ["ES256"],
            authorization_encryption_alg_values_supported: ["ECDH-ES"],
            authorization_encryption_enc_values_supported: ["A128GCM"],
          },
        },
      });
      const submitted = await client.submitOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: resolved.authorizationRequestPayload as { response_uri: string },
        authorizationResponsePayload: response.authorizationResponsePayload,
        jarm: response.jarm ? { responseJwt: response.jarm.responseJwt } : undefined,
      });
      expect(submitted.responseMode).toBe("direct_post.jwt");
      expect(submitted.response.status).toBe(200);
      const status = (await (await viaProxy(`${origin()}/oid4vp/v1/presentations/${presentation.transaction_id}`, { headers: { authorization: basic() } })).json()) as {
        status: string; claims: Record<string, Record<string, unknown>>;
      };
      expect(status.status).toBe("verified");
      expect(Object.values(status.claims)[0]).toMatchObject({ given_name: "Erika", family_name: "Mustermann" });
    });
  }
});
