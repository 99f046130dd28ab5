// RP-Initiated Logout 1.0 §2–§3: Sigil goes to a post_logout_redirect_uri only when a valid id_token_hint
// proves which client asks and the URI is registered for it exactly; anything else is never a redirect
// (no open redirector, RFC 9700 §4.11). The hint's expiry is deliberately not checked (§2).
// Every test here is concurrent, so the one that waits 60 s for a hint to expire runs alongside the others.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLocalJWKSet, errors, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from "jose";
import { provision, type Provisioned } from "../support/fixtures.ts";
import { decodeJwtPart, expectNoStackTrace, readAnswer, type ErrorAnswer } from "../support/negative.ts";
import { obtainTokens } from "../support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let shortLived: SigilServer;
let p: Provisioned;
let other: Provisioned;
let shortP: Provisioned;
let hint: string;
let otherTenantHint: string;
let expiringHint: string;
beforeAll(async () => {
  // The short-lived server's tokens expire after 60 s (the shortest TTL Sigil accepts): its hint is minted first.
  [server, shortLived] = await Promise.all([startSigil(), startSigil({ env: { SIGIL_ACCESS_TOKEN_TTL: "60" } })]);
  shortP = await provision(shortLived);
  const short = await obtainTokens(shortLived, shortP);
  expiringHint = short.tokens.id_token!;

  p = await provision(server);
  other = await provision(server, "other.localhost");
  await server.cliOk(["client", "add", "localhost", "third", "--redirect-uri", "https://third.example/cb", "--post-logout-redirect-uri", "https://third.example/bye"]);
  hint = (await obtainTokens(server, p)).tokens.id_token!;
  otherTenantHint = (await obtainTokens(server, other)).tokens.id_token!;
});
afterAll(async () => {
  await Promise.all([server.stop(), shortLived.stop()]);
  removeDataDir(server.dataDir);
  removeDataDir(shortLived.dataDir);
});

const endSession = (params: Record<string, string>, on: SigilServer = server) =>
  on.fetch(`/oauth2/v1/end_session?${new URLSearchParams(params)}`);

/** No redirect of any kind: no Location, no Refresh, no data-redirect, no link to the URI; a 4xx error page or a plain signed-out page. */
async function expectNoRedirect(response: Response, attempted: string): Promise<ErrorAnswer> {
  const answer = await readAnswer(response);
  expect(answer.headers.has("location")).toBe(false);
  expect(answer.headers.has("refresh")).toBe(false);
  expect(answer.text).not.toContain("data-redirect");
  expect(answer.text).not.toMatch(/http-equiv\s*=\s*["']?refresh/i);
  expect(answer.text).not.toContain(new URL(attempted).host);
  expectNoStackTrace(answer.text);
  const isErrorPage = answer.status >= 400 && answer.status < 500 && answer.text.includes('id="sigil-error"');
  const isSignedOutPage = answer.status === 200 && answer.text.includes('id="sigil-logout"');
  expect({ status: answer.status, isErrorPage, isSignedOutPage, acceptable: isErrorPage || isSignedOutPage })
    .toEqual({ status: answer.status, isErrorPage, isSignedOutPage, acceptable: true });
  return answer;
}

/** The data-redirect the signed-out page carries, or a failed expectation. */
async function dataRedirect(response: Response): Promise<URL> {
  const answer = await readAnswer(response);
  expect(answer.status).toBe(200);
  expect(answer.headers.has("location")).toBe(false);
  const match = /data-redirect="([^"]*)"/.exec(answer.text);
  expect(match).not.toBeNull();
  return new URL(match![1]!.replace(/&amp;/g, "&"));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("attempts to use end_session as an open redirector are never redirected", () => {
  test.concurrent("a post_logout_redirect_uri that is not registered, with a valid hint", async () => {
    const uri = "https://attacker.example/phish";
    await expectNoRedirect(await endSession({ id_token_hint: hint, post_logout_redirect_uri: uri, state: "s1" }), uri);
  });

  test.concurrent.each([
    ["an extra query parameter", "https://rp.example/logged-out?next=https://attacker.example"],
    ["a trailing slash", "https://rp.example/logged-out/"],
    ["a different case", "https://RP.example/logged-out"],
    ["a userinfo prefix", "https://rp.example@attacker.example/logged-out"],
  ])("the registered URI with %s, with a valid hint", async (_name, uri) => {
    await expectNoRedirect(await endSession({ id_token_hint: hint, post_logout_redirect_uri: uri }), uri);
  });

  test.concurrent("the registered URI without an id_token_hint", async () => {
    await expectNoRedirect(await endSession({ post_logout_redirect_uri: p.postLogoutRedirectUri, state: "s1" }), p.postLogoutRedirectUri);
  });

  test.concurrent("the registered URI with client_id but without an id_token_hint", async () => {
    await expectNoRedirect(await endSession({ post_logout_redirect_uri: p.postLogoutRedirectUri, client_id: p.clientId }), p.postLogoutRedirectUri);
  });

  test.concurrent("another client's registered URI with rp's valid hint", async () => {
    const uri = "https://third.example/bye";
    await expectNoRedirect(await endSession({ id_token_hint: hint, post_logout_redirect_uri: uri }), uri);
  });

  test.concurrent("another client's registered URI with rp's valid hint and that client's client_id", async () => {
    const uri = "https://third.example/bye";
    await expectNoRedirect(await endSession({ id_token_hint: hint, post_logout_redirect_uri: uri, client_id: "third" }), uri);
  });

  test.concurrent("a hint signed by a fresh RSA key under the published kid", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(decodeJwtPart(hint, 1)).setProtectedHeader({ ...decodeJwtPart(hint, 0), alg: "RS256" } as { alg: string }).sign(privateKey);
    await expectNoRedirect(await endSession({ id_token_hint: forged, post_logout_redirect_uri: p.postLogoutRedirectUri }), p.postLogoutRedirectUri);
  });

  test.concurrent("an alg=none hint with the genuine claims", async () => {
    const forged = `${b64({ alg: "none", typ: "JWT", kid: decodeJwtPart(hint, 0).kid })}.${hint.split(".")[1]}.`;
    await expectNoRedirect(await endSession({ id_token_hint: forged, post_logout_redirect_uri: p.postLogoutRedirectUri }), p.postLogoutRedirectUri);
  });

  test.concurrent("a genuine hint with its audience rewritten to another client", async () => {
    const [head, , signature] = hint.split(".");
    const tampered = `${head}.${b64({ ...decodeJwtPart(hint, 1), aud: "third" })}.${signature}`;
    await expectNoRedirect(await endSession({ id_token_hint: tampered, post_logout_redirect_uri: "https://third.example/bye" }), "https://third.example/bye");
  });

  test.concurrent("a valid hint from another tenant on the same server", async () => {
    expect(decodeJwtPart(otherTenantHint, 1).aud).toBe(p.clientId); // same client id, same registered URI there
    await expectNoRedirect(await endSession({ id_token_hint: otherTenantHint, post_logout_redirect_uri: p.postLogoutRedirectUri }), p.postLogoutRedirectUri);
  });

  test.concurrent("an access token presented as the hint", async () => {
    const { tokens } = await obtainTokens(server, p);
    await expectNoRedirect(await endSession({ id_token_hint: tokens.access_token, post_logout_redirect_uri: p.postLogoutRedirectUri }), p.postLogoutRedirectUri);
  });
});

describe("with a valid hint and a registered URI", () => {
  test.concurrent("control: the signed-out page carries the URI with state in data-redirect", async () => {
    const target = await dataRedirect(await endSession({ id_token_hint: hint, post_logout_redirect_uri: p.postLogoutRedirectUri, state: "bye-1" }));
    expect(`${target.origin}${target.pathname}`).toBe(p.postLogoutRedirectUri);
    expect(target.searchParams.get("state")).toBe("bye-1");
  });

  test.concurrent("without state, data-redirect has no state parameter", async () => {
    const target = await dataRedirect(await endSession({ id_token_hint: hint, post_logout_redirect_uri: p.postLogoutRedirectUri }));
    expect(target.toString()).toBe(p.postLogoutRedirectUri);
    expect(target.searchParams.has("state")).toBe(false);
    expect(target.search).toBe("");
  });

  test.concurrent("a hint whose exp is in the past is still accepted (RP-Initiated Logout §2)", async () => {
    const exp = Number(decodeJwtPart(expiringHint, 1).exp);
    const waitMs = (exp + 2) * 1000 - Date.now();
    if (waitMs > 0) await Bun.sleep(waitMs);
    // The hint really is expired: a verifier that checks exp (jose, no clock tolerance) refuses it.
    const jwks = createLocalJWKSet((await (await shortLived.fetch("/.well-known/jwks.json")).json()) as JSONWebKeySet);
    await expect(jwtVerify(expiringHint, jwks, { issuer: shortLived.origin(), audience: shortP.clientId })).rejects.toBeInstanceOf(errors.JWTExpired);

    const target = await dataRedirect(await endSession({ id_token_hint: expiringHint, post_logout_redirect_uri: shortP.postLogoutRedirectUri, state: "late" }, shortLived));
    expect(`${target.origin}${target.pathname}`).toBe(shortP.postLogoutRedirectUri);
    expect(target.searchParams.get("state")).toBe("late");
  }, 120_000);
});
