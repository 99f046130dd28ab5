// A relying party nobody here wrote (openid-client v6) pointed at one Sigil tenant, plus
// the front channel a browser would drive: authorize → /login.html → POST the login
// endpoint as the page does → the redirect back to the client.
import * as client from "openid-client";
import { ha1, type Provisioned } from "./fixtures.ts";
import type { SigilServer } from "./sigil.ts";

/** One HTTP request openid-client made, as it went on the wire. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export interface RelyingParty {
  /** The openid-client configuration, made by discovery from the tenant's issuer. */
  config: client.Configuration;
  /** The issuer origin the RP was pointed at, e.g. http://acme.localhost:PORT. */
  issuer: string;
  clientId: string;
  /** fetch for the front channel (what the browser does), to the same origin. */
  browserFetch(url: string | URL, init?: RequestInit): Promise<Response>;
  /** Every back-channel request openid-client made through this configuration. */
  requests: RecordedRequest[];
}

/**
 * fetch for `*.localhost:PORT` URLs: sent to 127.0.0.1:PORT with the original
 * Host header, so tenant selection does not depend on how the resolver treats
 * `*.localhost`. Anything else is refused: tests make no outside requests.
 */
export function loopbackFetch(server: SigilServer): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return (url, init = {}) => {
    const target = new URL(url);
    const isLoopbackName = target.hostname === "localhost" || target.hostname.endsWith(".localhost");
    if (!isLoopbackName || target.port !== String(server.port)) throw new Error(`refusing a request outside the test server: ${target.href}`);
    const headers = new Headers(init.headers);
    headers.set("host", target.host);
    target.hostname = "127.0.0.1";
    return fetch(target, { ...init, headers, redirect: "manual" });
  };
}

/**
 * Discovers the tenant `p.host` with openid-client as `rp` (client_secret_basic)
 * or `spa` (public, token_endpoint_auth_method none). `localhost` goes through
 * real name resolution; other hosts through loopbackFetch.
 */
export async function discoverRelyingParty(server: SigilServer, p: Provisioned, kind: "confidential" | "public"): Promise<RelyingParty> {
  const issuer = server.origin(p.host);
  const transport = p.host === "localhost"
    ? (url: string | URL, init?: RequestInit) => fetch(url, { ...init, redirect: "manual" })
    : loopbackFetch(server);
  const requests: RecordedRequest[] = [];
  const recording: client.CustomFetch = async (url, options) => {
    const body = options.body === undefined || options.body === null ? "" : typeof options.body === "string" ? options.body : options.body instanceof URLSearchParams ? options.body.toString() : "<binary>";
    requests.push({ method: options.method, url, headers: new Headers(options.headers), body });
    return transport(url, options as RequestInit);
  };
  const options: client.DiscoveryRequestOptions = { [client.customFetch]: recording, execute: [client.allowInsecureRequests] };
  const clientId = kind === "confidential" ? p.clientId : p.publicClientId;
  const config = kind === "confidential"
    ? await client.discovery(new URL(issuer), clientId, p.clientSecret, client.ClientSecretBasic(), options)
    : await client.discovery(new URL(issuer), clientId, { token_endpoint_auth_method: "none" }, client.None(), options);
  return { config, issuer, clientId, browserFetch: transport, requests };
}

export interface PendingAuthorization {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** What a careful RP sends: PKCE S256, state and nonce, all fresh. */
export async function buildAuthorization(rp: RelyingParty, p: Provisioned, scope = "openid profile email", extra: Record<string, string> = {}): Promise<PendingAuthorization> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp.config, {
    redirect_uri: p.redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return { url, state, nonce, codeVerifier };
}

export interface SignInOptions {
  /** Defaults to the provisioned password. */
  password?: string;
  /** The realm to hash with; defaults to the one the tenant's login-config announces. */
  realm?: string;
}

/**
 * The browser's part: GET the authorization URL, follow the 302 to /login.html,
 * read `return` from it, and POST {user, ha1, return} as JSON to the login endpoint
 * of the same origin. Returns the login endpoint's raw response.
 */
export async function signInAtLoginPage(rp: RelyingParty, p: Provisioned, authorizationUrl: URL, options: SignInOptions = {}): Promise<Response> {
  const authorize = await rp.browserFetch(authorizationUrl);
  const location = authorize.headers.get("location");
  if (authorize.status !== 302 || location === null) throw new Error(`authorize did not redirect: ${authorize.status} ${await authorize.text()}`);
  const loginPage = new URL(location, authorizationUrl);
  if (loginPage.origin !== rp.issuer || loginPage.pathname !== "/login.html") throw new Error(`authorize went elsewhere than the login page: ${location}`);
  const returnTo = loginPage.searchParams.get("return");
  if (returnTo === null) throw new Error(`no return parameter: ${location}`);
  let realm = options.realm;
  if (realm === undefined) {
    const loginConfig = await rp.browserFetch(`${rp.issuer}/oauth2/v1/login-config`);
    realm = ((await loginConfig.json()) as { realm: string }).realm;
  }
  return rp.browserFetch(`${rp.issuer}/oauth2/v1/login`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ user: p.username, ha1: ha1(p.username, realm, options.password ?? p.password), return: returnTo }),
  });
}

/** Sign-in that must succeed: the URL the browser would be sent back to (redirect_uri?code&state&iss). */
export async function signInForCallback(rp: RelyingParty, p: Provisioned, authorizationUrl: URL, options: SignInOptions = {}): Promise<URL> {
  const response = await signInAtLoginPage(rp, p, authorizationUrl, options);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { redirect?: unknown };
  if (typeof body.redirect !== "string") throw new Error(`login answered without a redirect: ${JSON.stringify(body)}`);
  return new URL(body.redirect);
}

export type Tokens = client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;

/** The whole flow through openid-client: authorize, sign in, code grant with every check on. */
export async function signInThroughRp(rp: RelyingParty, p: Provisioned, scope = "openid profile email") {
  const pending = await buildAuthorization(rp, p, scope);
  const callback = await signInForCallback(rp, p, pending.url);
  const tokens: Tokens = await client.authorizationCodeGrant(rp.config, callback, {
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    pkceCodeVerifier: pending.codeVerifier,
  });
  return { pending, callback, tokens };
}

/** Settles a promise into its rejection (or fails when it resolved), for asserting on errors. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 300)}`);
    },
    (error: unknown) => error,
  );
}

/** The fields of an openid-client error worth comparing, whatever its class. */
export function errorShape(error: unknown): { name: string; status?: number; error?: string } {
  if (error instanceof client.ResponseBodyError) return { name: "ResponseBodyError", status: error.status, error: error.error };
  if (error instanceof client.WWWAuthenticateChallengeError) {
    return { name: "WWWAuthenticateChallengeError", status: error.status, error: error.cause[0]?.parameters.error };
  }
  if (error instanceof client.AuthorizationResponseError) return { name: "AuthorizationResponseError", error: error.error };
  return { name: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
