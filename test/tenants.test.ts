// Two tenants on one server, told apart only by the Host name: acme.localhost and
// contoso.localhost. Each is its own issuer with its own keys, users, clients,
// codes and tokens; nothing one issues is accepted by the other.
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as client from "openid-client";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { decodeJwtPart, expectJsonError } from "./support/negative.ts";
import { tokenRequest } from "./support/oauth-flow.ts";
import {
  buildAuthorization,
  discoverRelyingParty,
  errorShape,
  loopbackFetch,
  rejectionOf,
  signInAtLoginPage,
  signInForCallback,
  signInThroughRp,
  type RelyingParty,
} from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";

let server: SigilServer;
let acme: Provisioned;
let contoso: Provisioned;
let acmeRp: RelyingParty;
let contosoRp: RelyingParty;
beforeAll(async () => {
  server = await startSigil();
  acme = await provision(server, "acme.localhost");
  contoso = await provision(server, "contoso.localhost");
  acmeRp = await discoverRelyingParty(server, acme, "confidential");
  contosoRp = await discoverRelyingParty(server, contoso, "confidential");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const kidsOf = async (host: string): Promise<string[]> => {
  const response = await loopbackFetch(server)(`http://${host}:${server.port}/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  const { keys } = (await response.json()) as { keys: { kid?: string }[] };
  return keys.map((key) => String(key.kid));
};

test("each tenant's discovery names its own issuer, http://<host>:PORT byte for byte", async () => {
  expect(acmeRp.config.serverMetadata().issuer).toBe(`http://acme.localhost:${server.port}`);
  expect(contosoRp.config.serverMetadata().issuer).toBe(`http://contoso.localhost:${server.port}`);
  expect(contosoRp.config.serverMetadata().token_endpoint?.startsWith(`http://contoso.localhost:${server.port}/`)).toBe(true);
  // The RP really talked to each tenant through its own Host name.
  expect(acmeRp.requests[0]?.url).toBe(`http://acme.localhost:${server.port}/.well-known/openid-configuration`);
});

test("each tenant publishes its own JWKS with no kid in common, and signs its id_tokens with a key of its own", async () => {
  const acmeKids = await kidsOf("acme.localhost");
  const contosoKids = await kidsOf("contoso.localhost");
  expect(acmeKids.length).toBeGreaterThan(0);
  expect(contosoKids.length).toBeGreaterThan(0);
  expect(acmeKids.filter((kid) => contosoKids.includes(kid))).toEqual([]);

  const { tokens } = await signInThroughRp(acmeRp, acme);
  const kid = String(decodeJwtPart(tokens.id_token!, 0).kid);
  expect(acmeKids).toContain(kid);
  expect(contosoKids).not.toContain(kid);
  expect(tokens.claims()?.iss).toBe(`http://acme.localhost:${server.port}`);
});

test("an access token from acme is refused at contoso's userinfo with 401 and is inactive at contoso's introspection", async () => {
  const { tokens } = await signInThroughRp(acmeRp, acme);
  const sub = tokens.claims()!.sub;
  // Alive at home.
  expect((await client.fetchUserInfo(acmeRp.config, tokens.access_token, sub)).sub).toBe(sub);
  expect((await client.tokenIntrospection(acmeRp.config, tokens.access_token)).active).toBe(true);

  expect(errorShape(await rejectionOf(client.fetchUserInfo(contosoRp.config, tokens.access_token, client.skipSubjectCheck))))
    .toEqual({ name: "WWWAuthenticateChallengeError", status: 401, error: "invalid_token" });
  expect(await client.tokenIntrospection(contosoRp.config, tokens.access_token)).toEqual({ active: false });
});

test("a code issued by acme is refused at contoso's token endpoint with invalid_grant and is still good at acme", async () => {
  const pending = await buildAuthorization(acmeRp, acme);
  const callback = await signInForCallback(acmeRp, acme, pending.url);
  expect(callback.searchParams.get("iss")).toBe(`http://acme.localhost:${server.port}`);
  const code = callback.searchParams.get("code")!;

  const atContoso = await tokenRequest(server, contoso, {
    grant_type: "authorization_code", code, redirect_uri: contoso.redirectUri, code_verifier: pending.codeVerifier,
  });
  await expectJsonError(atContoso, 400, "invalid_grant");

  const tokens = await client.authorizationCodeGrant(acmeRp.config, callback, {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  expect(tokens.claims()?.aud).toBe("rp");
});

test("a refresh token from acme is refused at contoso with invalid_grant and still rotates at acme", async () => {
  const { tokens } = await signInThroughRp(acmeRp, acme);
  await expectJsonError(await tokenRequest(server, contoso, { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }), 400, "invalid_grant");
  const rotated = await client.refreshTokenGrant(acmeRp.config, tokens.refresh_token!);
  expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
});

test("clients are per tenant: acme's rp secret does not authenticate contoso's rp", async () => {
  const withAcmeSecret = await tokenRequest(server, { ...contoso, clientSecret: acme.clientSecret }, { grant_type: "refresh_token", refresh_token: "not-a-token" });
  await expectJsonError(withAcmeSecret, 401, "invalid_client");
  // Contoso's own secret gets past client authentication to the grant check.
  await expectJsonError(await tokenRequest(server, contoso, { grant_type: "refresh_token", refresh_token: "not-a-token" }), 400, "invalid_grant");
});

test("users are per tenant: alice's HA1 for realm acme.localhost fails at contoso although alice exists there with the same password", async () => {
  const realmOf = async (host: string) => {
    const response = await loopbackFetch(server)(`http://${host}:${server.port}/oauth2/v1/login-config`);
    return ((await response.json()) as { realm: string }).realm;
  };
  expect(await realmOf("acme.localhost")).toBe("acme.localhost");
  expect(await realmOf("contoso.localhost")).toBe("contoso.localhost");

  const pending = await buildAuthorization(contosoRp, contoso);
  const refused = await signInAtLoginPage(contosoRp, contoso, pending.url, { realm: "acme.localhost" });
  await expectJsonError(refused, 401, "invalid_credentials");

  // The same password hashed with contoso's own realm signs in, as a different user than acme's alice.
  const callback = await signInForCallback(contosoRp, contoso, pending.url, { realm: "contoso.localhost" });
  const atContoso = await client.authorizationCodeGrant(contosoRp.config, callback, {
    expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier,
  });
  const { tokens: atAcme } = await signInThroughRp(acmeRp, acme);
  expect(atContoso.claims()?.preferred_username).toBe("alice");
  expect(atAcme.claims()?.preferred_username).toBe("alice");
  expect(atContoso.claims()?.sub).not.toBe(atAcme.claims()?.sub);
});
