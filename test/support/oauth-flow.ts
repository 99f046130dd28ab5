// Drives the authorization-code flow over plain HTTP the way the login page does,
// so protocol tests can get codes and tokens without a browser.
import { ha1, type Provisioned } from "./fixtures.ts";
import type { SigilServer } from "./sigil.ts";

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return { verifier, challenge: new Bun.CryptoHasher("sha256").update(verifier).digest("base64url") };
}

export interface AuthorizeOptions {
  clientId?: string;
  scope?: string;
  extra?: Record<string, string>;
  pkce?: { verifier: string; challenge: string } | null;
}

/** GET authorize and return the `return` value the login page would receive (throws if not redirected to /login.html). */
export async function startAuthorization(server: SigilServer, p: Provisioned, options: AuthorizeOptions = {}) {
  const pkce = options.pkce === undefined ? pkcePair() : options.pkce;
  const query = new URLSearchParams({
    client_id: options.clientId ?? p.clientId,
    redirect_uri: p.redirectUri,
    response_type: "code",
    scope: options.scope ?? "openid profile email",
    state: "state-" + crypto.randomUUID(),
    nonce: "nonce-" + crypto.randomUUID(),
    ...(pkce ? { code_challenge: pkce.challenge, code_challenge_method: "S256" } : {}),
    ...options.extra,
  });
  const response = await server.fetch(`/oauth2/v1/authorize?${query}`, { host: p.host });
  const location = response.headers.get("location") ?? "";
  if (response.status !== 302 || !location.startsWith("/login.html?")) throw new Error(`authorize did not go to the login page: ${response.status} ${location}`);
  return { returnTo: new URLSearchParams(location.slice("/login.html?".length)).get("return")!, pkce, state: query.get("state")!, nonce: query.get("nonce")! };
}

/** POST the login endpoint as the page does (JSON), with the password's HA1. */
export async function login(server: SigilServer, p: Provisioned, returnTo: string, password = p.password, realm = p.host) {
  return server.fetch("/oauth2/v1/login", {
    host: p.host,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ user: p.username, ha1: ha1(p.username, realm, password), return: returnTo }),
  });
}

/** The whole front channel: authorize, sign in, and return the code, the PKCE verifier and the state. */
export async function obtainCode(server: SigilServer, p: Provisioned, options: AuthorizeOptions = {}) {
  const started = await startAuthorization(server, p, options);
  const response = await login(server, p, started.returnTo);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { code: string; redirect: string; sso?: string; device?: string };
  return { ...started, code: body.code, redirect: body.redirect, sso: body.sso, device: body.device };
}

/** POST the token endpoint with client_secret_basic (or none for a public client). */
export async function tokenRequest(server: SigilServer, p: Provisioned, form: Record<string, string>, auth: "basic" | "post" | "none" = "basic") {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams(form);
  if (auth === "basic") headers.authorization = `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;
  if (auth === "post") {
    body.set("client_id", p.clientId);
    body.set("client_secret", p.clientSecret);
  }
  if (auth === "none" && !body.has("client_id")) body.set("client_id", p.publicClientId);
  return server.fetch("/oauth2/v1/token", { host: p.host, method: "POST", headers, body });
}

/** Code → tokens for the confidential client. */
export async function obtainTokens(server: SigilServer, p: Provisioned, options: AuthorizeOptions = {}) {
  const flow = await obtainCode(server, p, options);
  const response = await tokenRequest(server, p, {
    grant_type: "authorization_code", code: flow.code, redirect_uri: p.redirectUri, ...(flow.pkce ? { code_verifier: flow.pkce.verifier } : {}),
  });
  if (response.status !== 200) throw new Error(`token failed: ${response.status} ${await response.text()}`);
  const tokens = (await response.json()) as { access_token: string; id_token?: string; refresh_token: string; expires_in: number; scope: string };
  return { ...flow, tokens };
}
