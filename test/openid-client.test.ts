// Sigil against an independent relying party, openid-client v6, which validates
// discovery, the RFC 9207 `iss` response parameter, state, PKCE and the id_token
// (JWKS signature, iss, aud, exp, iat, nonce) by itself. Each flow runs with the
// confidential client `rp` (client_secret_basic) and with the public client `spa`
// (PKCE, token_endpoint_auth_method none).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as client from "openid-client";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { decodeJwtPart, discoveredIssuer } from "./support/negative.ts";
import {
  buildAuthorization,
  discoverRelyingParty,
  errorShape,
  rejectionOf,
  signInForCallback,
  signInThroughRp,
  type RelyingParty,
} from "./support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { logoutRedirectTarget } from "./support/logout-page.ts";

let server: SigilServer;
let p: Provisioned;
let rp: RelyingParty;
let spa: RelyingParty;
beforeAll(async () => {
  server = await startSigil();
  p = await provision(server);
  rp = await discoverRelyingParty(server, p, "confidential");
  spa = await discoverRelyingParty(server, p, "public");
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** at_hash: base64url of the left half of SHA-256 over the access token (OIDC Core §3.1.3.6, RS256). */
const atHash = (accessToken: string) => Buffer.from(new Bun.CryptoHasher("sha256").update(accessToken).digest().subarray(0, 16)).toString("base64url");

test("discovery by openid-client finds the issuer http://localhost:PORT byte for byte and endpoints under it", async () => {
  const origin = `http://localhost:${server.port}`;
  expect(await discoveredIssuer(server)).toBe(origin);
  const metadata = rp.config.serverMetadata();
  expect(metadata.issuer).toBe(origin);
  for (const endpoint of [metadata.authorization_endpoint, metadata.token_endpoint, metadata.userinfo_endpoint, metadata.jwks_uri,
    metadata.introspection_endpoint, metadata.revocation_endpoint, metadata.end_session_endpoint]) {
    expect(endpoint?.startsWith(`${origin}/`)).toBe(true);
  }
  expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
  expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "none"]));
});

describe.each([
  ["the confidential client rp (client_secret_basic)", "confidential"],
  ["the public client spa (PKCE, no client authentication)", "public"],
] as const)("%s", (_title, kind) => {
  const party = () => (kind === "confidential" ? rp : spa);
  const clientId = () => party().clientId;

  test("completes authorize, sign-in and code exchange with every openid-client check on, and the id_token carries the documented claims", async () => {
    const before = nowSeconds();
    const pending = await buildAuthorization(party(), p);
    expect(pending.url.searchParams.get("code_challenge_method")).toBe("S256");
    const callback = await signInForCallback(party(), p, pending.url);
    const after = nowSeconds();
    // RFC 9207: the response names its issuer (openid-client checks it as well, since discovery announces support).
    expect(`${callback.origin}${callback.pathname}`).toBe(p.redirectUri);
    expect(callback.searchParams.get("iss")).toBe(`http://localhost:${server.port}`);
    expect(callback.searchParams.get("state")).toBe(pending.state);

    const requestsBefore = party().requests.length;
    const tokens = await client.authorizationCodeGrant(party().config, callback, {
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      pkceCodeVerifier: pending.codeVerifier,
    });
    // The token request went out with the client authentication this client is registered for.
    const tokenRequest = party().requests.slice(requestsBefore).find((r) => r.url === party().config.serverMetadata().token_endpoint);
    if (!tokenRequest) throw new Error("openid-client made no token request");
    const form = new URLSearchParams(tokenRequest.body);
    expect(form.get("code_verifier")).toBe(pending.codeVerifier);
    if (kind === "confidential") {
      expect(tokenRequest.headers.get("authorization")?.startsWith("Basic ")).toBe(true);
      expect(form.has("client_secret")).toBe(false);
    } else {
      expect(tokenRequest.headers.get("authorization")).toBeNull();
      expect(form.get("client_id")).toBe("spa");
    }

    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(typeof tokens.refresh_token).toBe("string");
    const claims = tokens.claims();
    if (!claims) throw new Error("no id_token");
    expect(claims.iss).toBe(`http://localhost:${server.port}`);
    expect(claims.aud).toBe(clientId());
    expect(claims.azp).toBe(clientId());
    expect(claims.nonce).toBe(pending.nonce);
    expect(claims.sub).toMatch(/^\S{8,}$/);
    expect(typeof claims.auth_time).toBe("number");
    expect(claims.auth_time).toBeGreaterThanOrEqual(before - 1);
    expect(claims.auth_time).toBeLessThanOrEqual(after + 1);
    expect(claims.amr).toEqual(["pwd"]);
    expect(claims.acr).toBe("urn:sigil:acr:pwd");
    expect(party().config.serverMetadata().acr_values_supported).toContain("urn:sigil:acr:pwd");
    expect(claims.at_hash).toBe(atHash(tokens.access_token));
    expect(claims.preferred_username).toBe("alice");
    expect(claims.name).toBe("Alice Liddell");
    expect(claims.email).toBe("alice@example.org");
    expect(claims.email_verified).toBe(false);
    expect(claims.role).toBe("user");
    expect([...((claims.groups as string[] | undefined) ?? [])].sort()).toEqual(["readers", "user", "writers"]);
    expect(decodeJwtPart(tokens.id_token!, 0).alg).toBe("RS256");
  });

  test("with scope openid alone the id_token still carries role and groups but no profile or email claims", async () => {
    const { tokens } = await signInThroughRp(party(), p, "openid");
    const claims = tokens.claims()!;
    expect(claims.role).toBe("user");
    expect([...((claims.groups as string[] | undefined) ?? [])].sort()).toEqual(["readers", "user", "writers"]);
    for (const absent of ["preferred_username", "name", "email", "email_verified"]) expect(claims).not.toHaveProperty(absent);
  });

  test("userinfo returns the id_token's sub and the claims of profile and email", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const sub = tokens.claims()!.sub;
    const info = await client.fetchUserInfo(party().config, tokens.access_token, sub);
    expect(info.sub).toBe(sub);
    expect(info.preferred_username).toBe("alice");
    expect(info.name).toBe("Alice Liddell");
    expect(info.email).toBe("alice@example.org");
    expect(info.role).toBe("user");
  });

  test("a refresh rotates the refresh token; replaying the old one fails with invalid_grant and revokes the new one too", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const sub = tokens.claims()!.sub;
    const first = tokens.refresh_token!;
    const rotated = await client.refreshTokenGrant(party().config, first);
    expect(typeof rotated.refresh_token).toBe("string");
    expect(rotated.refresh_token).not.toBe(first);
    expect(rotated.claims()?.sub).toBe(sub);
    expect((await client.fetchUserInfo(party().config, rotated.access_token, sub)).sub).toBe(sub);

    expect(errorShape(await rejectionOf(client.refreshTokenGrant(party().config, first)))).toEqual({ name: "ResponseBodyError", status: 400, error: "invalid_grant" });
    // The replay revoked the family: the newest refresh token and access token are dead as well.
    expect(errorShape(await rejectionOf(client.refreshTokenGrant(party().config, rotated.refresh_token!)))).toEqual({ name: "ResponseBodyError", status: 400, error: "invalid_grant" });
    expect(errorShape(await rejectionOf(client.fetchUserInfo(party().config, rotated.access_token, sub)))).toEqual({ name: "WWWAuthenticateChallengeError", status: 401, error: "invalid_token" });
  });

  test("introspection (by the resource server rp) reports the access token active with client_id, sub and scope, and a garbage token inactive", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const introspection = await client.tokenIntrospection(rp.config, tokens.access_token);
    expect(introspection.active).toBe(true);
    expect(introspection.client_id).toBe(clientId());
    expect(introspection.sub).toBe(tokens.claims()!.sub);
    expect(introspection.scope).toBe("openid profile email");
    expect(introspection.iss).toBe(`http://localhost:${server.port}`);
    expect(await client.tokenIntrospection(rp.config, "garbage-" + crypto.randomUUID())).toEqual({ active: false });
  });

  test("revoking the access token answers 200, then userinfo refuses it with 401 and introspection calls it inactive although the JWT has not expired", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const sub = tokens.claims()!.sub;
    expect((await client.fetchUserInfo(party().config, tokens.access_token, sub)).sub).toBe(sub);
    expect((await client.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(true);

    const requestsBefore = party().requests.length;
    await client.tokenRevocation(party().config, tokens.access_token, { token_type_hint: "access_token" });
    const revocation = party().requests.slice(requestsBefore).find((r) => r.url === party().config.serverMetadata().revocation_endpoint);
    expect(revocation?.method).toBe("POST");

    expect(Number(decodeJwtPart(tokens.access_token, 1).exp)).toBeGreaterThan(nowSeconds() + 60);
    expect(errorShape(await rejectionOf(client.fetchUserInfo(party().config, tokens.access_token, sub)))).toEqual({ name: "WWWAuthenticateChallengeError", status: 401, error: "invalid_token" });
    expect(await client.tokenIntrospection(rp.config, tokens.access_token)).toEqual({ active: false });
  });

  test("revoking the refresh token makes a refresh with it fail with invalid_grant, while another grant's refresh token still works", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const { tokens: bystander } = await signInThroughRp(party(), p);
    await client.tokenRevocation(party().config, tokens.refresh_token!, { token_type_hint: "refresh_token" });
    expect(errorShape(await rejectionOf(client.refreshTokenGrant(party().config, tokens.refresh_token!)))).toEqual({ name: "ResponseBodyError", status: 400, error: "invalid_grant" });
    expect((await client.refreshTokenGrant(party().config, bystander.refresh_token!)).refresh_token).not.toBe(bystander.refresh_token);
  });

  test("a refresh token is returned on a code exchange without offline_access, and offline_access is accepted and granted", async () => {
    const plain = await signInThroughRp(party(), p, "openid");
    expect(plain.tokens.scope?.split(" ")).not.toContain("offline_access");
    expect(plain.tokens.refresh_token).toMatch(/^\S{20,}$/);
    expect((await client.refreshTokenGrant(party().config, plain.tokens.refresh_token!)).access_token).toMatch(/^eyJ/);

    const offline = await signInThroughRp(party(), p, "openid offline_access");
    expect(offline.tokens.scope?.split(" ").sort()).toEqual(["offline_access", "openid"]);
    expect(offline.tokens.refresh_token).toMatch(/^\S{20,}$/);
    expect((await client.refreshTokenGrant(party().config, offline.tokens.refresh_token!)).access_token).toMatch(/^eyJ/);
  });

  test("logout via buildEndSessionUrl with id_token_hint, registered post_logout_redirect_uri and state yields a 200 page that carries the URI with the state", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const state = client.randomState();
    const url = client.buildEndSessionUrl(party().config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: p.postLogoutRedirectUri,
      state,
    });
    expect(url.href.startsWith(`http://localhost:${server.port}/`)).toBe(true);
    const response = await party().browserFetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type") ?? "").toContain("text/html");
    expect(logoutRedirectTarget(await response.text())).toBe(`${p.postLogoutRedirectUri}?state=${state}`);
  });

  test("logout with an unregistered post_logout_redirect_uri does not carry it", async () => {
    const { tokens } = await signInThroughRp(party(), p);
    const url = client.buildEndSessionUrl(party().config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: "https://evil.example/logged-out",
      state: client.randomState(),
    });
    const response = await party().browserFetch(url);
    const html = await response.text();
    expect(html).not.toContain("evil.example");
    expect(response.status).toBe(400);
  });
});
