// The one flow driver: the authorization-code flow over plain HTTP the way the login page does
// (authorize → /login.html → POST login → code → token, with PKCE S256), so tests and the benchmark
// get codes and tokens without a browser. Each phase can be timed.
import { ha1, type Provisioned } from "./fixtures.ts";
import type { SigilServer } from "./sigil.ts";

/** What the driver needs of a server: its fetch (the battery passes a narrower view of one). */
type Server = Pick<SigilServer, "fetch">;

/** Who signs in, with which client: what the driver needs of a provisioned tenant. */
export type FlowParty = Pick<Provisioned, "host" | "username" | "password" | "clientId" | "clientSecret" | "redirectUri"> & Partial<Pick<Provisioned, "publicClientId">>;

/** Milliseconds each phase of one flow took, filled in as they end. */
export interface FlowTimings {
  authorize: number;
  login: number;
  token: number;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return { verifier, challenge: new Bun.CryptoHasher("sha256").update(verifier).digest("base64url") };
}

export interface AuthorizeOptions {
  clientId?: string;
  scope?: string;
  extra?: Record<string, string>;
  pkce?: { verifier: string; challenge: string } | null;
  /** When given, each phase's duration is written here. */
  timings?: Partial<FlowTimings>;
}

/** Records the time since `since` as `phase` (when timing) and returns now. */
function lap(timings: Partial<FlowTimings> | undefined, phase: keyof FlowTimings, since: number): number {
  const now = performance.now();
  if (timings) timings[phase] = now - since;
  return now;
}

/** GET authorize and return the `return` value the login page would receive (throws if not redirected to /login.html). */
export async function startAuthorization(server: Server, p: FlowParty, options: AuthorizeOptions = {}) {
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
  const body = await response.text();
  if (response.status !== 302 || !location.startsWith("/login.html?")) throw new Error(`authorize did not go to the login page: ${response.status} ${location} ${body.slice(0, 300)}`);
  const returnTo = new URLSearchParams(location.slice("/login.html?".length)).get("return");
  if (!returnTo) throw new Error(`authorize: no return in ${location}`);
  return { returnTo, pkce, state: query.get("state")!, nonce: query.get("nonce")! };
}

/** POST the login endpoint of `host` as the sign-in page does: JSON in, JSON out. */
export function postLogin(server: Server, host: string, body: Record<string, string>): Promise<Response> {
  return server.fetch("/oauth2/v1/login", {
    host,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
}

/** POST the login endpoint as the page does (JSON), with the password's HA1. */
export function login(server: Server, p: FlowParty, returnTo: string, password = p.password, realm = p.host) {
  return postLogin(server, p.host, { user: p.username, ha1: ha1(p.username, realm, password), return: returnTo });
}

/** A successful sign-in's answer: 200 with a code and the redirect to `redirectUri` carrying `state`. */
export async function readCode(response: Response, p: FlowParty, state: string) {
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  const body = (await response.json()) as { code?: string; redirect?: string; sso?: string; device?: string };
  if (!body.code || !body.redirect?.startsWith(`${p.redirectUri}?`)) throw new Error(`login: no code for ${p.redirectUri} in ${JSON.stringify(body).slice(0, 300)}`);
  if (new URL(body.redirect).searchParams.get("state") !== state) throw new Error("login: the redirect does not carry the request's state");
  return { code: body.code, redirect: body.redirect, sso: body.sso, device: body.device };
}

/** The whole front channel: authorize, sign in, and return the code, the PKCE verifier and the state. */
export async function obtainCode(server: Server, p: FlowParty, options: AuthorizeOptions = {}) {
  let at = performance.now();
  const started = await startAuthorization(server, p, options);
  at = lap(options.timings, "authorize", at);
  const answer = await readCode(await login(server, p, started.returnTo), p, started.state);
  lap(options.timings, "login", at);
  return { ...started, ...answer };
}

/** POST the token endpoint with client_secret_basic, client_secret_post, or none (a public client). */
export async function tokenRequest(server: Server, p: FlowParty, form: Record<string, string>, auth: "basic" | "post" | "none" = "basic") {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams(form);
  if (auth === "basic") headers.authorization = `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;
  if (auth === "post") {
    body.set("client_id", p.clientId);
    body.set("client_secret", p.clientSecret);
  }
  if (auth === "none" && !body.has("client_id")) body.set("client_id", p.publicClientId ?? p.clientId);
  return server.fetch("/oauth2/v1/token", { host: p.host, method: "POST", headers, body });
}

export interface IssuedTokens {
  access_token: string;
  id_token?: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
}

/** The code grant for the confidential client (with the PKCE verifier, if any); throws unless 200. */
export async function redeemCode(server: Server, p: FlowParty, code: string, verifier?: string): Promise<IssuedTokens> {
  const response = await tokenRequest(server, p, {
    grant_type: "authorization_code", code, redirect_uri: p.redirectUri, ...(verifier ? { code_verifier: verifier } : {}),
  });
  if (response.status !== 200) throw new Error(`token failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as IssuedTokens;
}

/** Code → tokens for the confidential client. */
export async function obtainTokens(server: Server, p: FlowParty, options: AuthorizeOptions = {}) {
  const flow = await obtainCode(server, p, options);
  const at = performance.now();
  const tokens = await redeemCode(server, p, flow.code, flow.pkce?.verifier);
  lap(options.timings, "token", at);
  return { ...flow, tokens };
}
