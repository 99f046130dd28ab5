// The offline battery's shared part: one real Sigil per test file (started from a data directory
// provisioned once per test run and copied), a user agent that does what Sigil's sign-in page
// does, and the checks the conformance suite applies in every module of the OIDC plans
// (PerformStandardIdTokenChecks, the token response checks, the generic authorization error
// checks, the userinfo checks), written against the specifications they cite.
import { expect } from "bun:test";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { ha1, provision, type Provisioned } from "../../test/support/fixtures.ts";
import { pkcePair } from "../../test/support/oauth-flow.ts";
import { removeDataDir, sigilCommand, startSigil } from "../../test/support/sigil.ts";

export { pkcePair };

/** A confidential client as the suite's configuration names it (client, client2, client_secret_post). */
export interface StaticClient {
  clientId: string;
  clientSecret: string;
}

interface Template {
  dir: string;
  p: Provisioned;
  client2: StaticClient;
  postClient: StaticClient;
}

const TEMPLATE_KEY = Symbol.for("sigil.conformance.offline.template");
type TemplateHolder = { [TEMPLATE_KEY]?: Promise<Template> };

/**
 * Bun's test runner emits no process "exit" event, so clean-up that must outlive the test process
 * is left to a small shell: it waits while the test process (and, if given, `serverPid`) lives,
 * then kills `serverPid` if it is still running and removes `dir`. It ends by itself as soon as
 * the server has been stopped normally.
 */
function watchdog(dir: string, serverPid?: number): void {
  const alive = serverPid === undefined ? `kill -0 ${process.pid}` : `kill -0 ${process.pid} && kill -0 ${serverPid}`;
  const script = `while ${alive} 2>/dev/null; do sleep 0.5; done; ${serverPid === undefined ? "" : `kill -9 ${serverPid} 2>/dev/null; `}rm -rf '${dir}'`;
  Bun.spawn(["sh", "-c", script], { stdin: "ignore", stdout: "ignore", stderr: "ignore" }).unref();
}

/**
 * Provisions once per test process, through the real CLI: the tenant `localhost`, the user
 * alice, the confidential client `rp` (the suite's `client`), the public client `spa`, and
 * the confidential clients `rp2` (`client2`) and `rp-post` (`client_secret_post`), all with
 * the redirect and post-logout URIs of `provision`.
 */
function template(): Promise<Template> {
  const holder = globalThis as TemplateHolder;
  holder[TEMPLATE_KEY] ??= (async () => {
    const server = await startSigil();
    try {
      const p = await provision(server);
      const addConfidential = async (id: string): Promise<StaticClient> => {
        const out = await server.cliOk(["client", "add", p.host, id, "--redirect-uri", p.redirectUri, "--post-logout-redirect-uri", p.postLogoutRedirectUri, "--confidential"]);
        const secret = /^secret: (\S+)$/m.exec(out)?.[1];
        if (!secret) throw new Error(`no secret printed for ${id}: ${out}`);
        return { clientId: id, clientSecret: secret };
      };
      const client2 = await addConfidential("rp2");
      const postClient = await addConfidential("rp-post");
      // The tenant's RSA key is made on first need: make it here, once, rather than in every copy.
      const jwks = await server.fetch("/.well-known/jwks.json");
      if (jwks.status !== 200) throw new Error(`JWKS answered ${jwks.status}`);
      await server.stop();
      watchdog(server.dataDir);
      return { dir: server.dataDir, p, client2, postClient };
    } catch (error) {
      await server.stop("SIGKILL");
      removeDataDir(server.dataDir);
      throw error;
    }
  })();
  return holder[TEMPLATE_KEY];
}

/** Provider metadata as discovery publishes it (only the fields the battery reads are typed). */
export interface Metadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  scopes_supported?: string[];
  [key: string]: unknown;
}

/** The part of a running Sigil the battery uses. */
export interface OpServer {
  readonly port: number;
  readonly dataDir: string;
  /** fetch against 127.0.0.1:PORT with Host localhost:PORT, redirects not followed. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export interface Op {
  server: OpServer;
  p: Provisioned;
  /** The suite's `client`: rp, client_secret_basic. */
  client: StaticClient;
  client2: StaticClient;
  postClient: StaticClient;
  issuer: string;
  metadata: Metadata;
  jwks: JSONWebKeySet;
  stop(): Promise<void>;
}

export interface OpOptions {
  env?: Record<string, string>;
  args?: string[];
}

interface Launch {
  ready: Promise<OpServer>;
}

/** Starts `sigil serve` on a copy of the template data directory, watched by a watchdog. */
function launch(templateDir: string, options: OpOptions): Launch {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-conformance-"));
  cpSync(templateDir, dataDir, { recursive: true });
  const proc = Bun.spawn([...sigilCommand(), "serve", "--data", dataDir, "--port", "0", "--listen", "127.0.0.1", ...(options.args ?? [])], {
    cwd: join(import.meta.dir, "..", ".."),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...options.env },
  });
  watchdog(dataDir, proc.pid);
  let output = "";
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };
  const ready = (async (): Promise<OpServer> => {
    const decoder = new TextDecoder();
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) output += decoder.decode(chunk);
    };
    void pump(proc.stdout);
    void pump(proc.stderr);
    const started = Date.now();
    let port = 0;
    while (Date.now() - started < 15_000) {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        port = Number(match[1]);
        break;
      }
      if (proc.exitCode !== null) break;
      await Bun.sleep(10);
    }
    if (!port) {
      kill();
      throw new Error(`sigil did not start:\n${output}`);
    }
    return {
      port,
      dataDir,
      fetch: (path, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set("host", `localhost:${port}`);
        return fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", ...init, headers });
      },
      stop: async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill("SIGTERM");
          await proc.exited;
        }
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  })();
  ready.catch(() => undefined);
  return { ready };
}

const SPARE_KEY = Symbol.for("sigil.conformance.offline.spare");
type SpareHolder = { [SPARE_KEY]?: Launch };

/**
 * A fresh Sigil on a copy of the provisioned data directory, with its discovery document and JWKS
 * read. Test files run one after another, so while one runs, the next one's server (with the
 * default settings) is already starting; the last one, never used, dies with the test process (watchdog).
 */
export async function startOp(options: OpOptions = {}): Promise<Op> {
  const t = await template();
  const holder = globalThis as SpareHolder;
  const plain = options.env === undefined && options.args === undefined;
  let current: Launch;
  if (plain && holder[SPARE_KEY]) {
    current = holder[SPARE_KEY];
    holder[SPARE_KEY] = undefined;
  } else {
    current = launch(t.dir, options);
  }
  const server = await current.ready;
  holder[SPARE_KEY] ??= launch(t.dir, {});
  const metadata = (await (await server.fetch("/.well-known/openid-configuration")).json()) as Metadata;
  const jwks = (await (await server.fetch(new URL(metadata.jwks_uri).pathname)).json()) as JSONWebKeySet;
  return {
    server,
    p: t.p,
    client: { clientId: t.p.clientId, clientSecret: t.p.clientSecret },
    client2: t.client2,
    postClient: t.postClient,
    issuer: metadata.issuer,
    metadata,
    jwks,
    stop: () => server.stop(),
  };
}

/** The path and query of an absolute URL on the server, for OpServer.fetch. */
export const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);

const randomValue = (bytes = 16) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");

export interface AuthorizationOptions {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  /** null leaves the parameter out. */
  state?: string | null;
  /** null leaves the parameter out. */
  nonce?: string | null;
  /** null leaves response_type out. */
  responseType?: string | null;
  /** Send PKCE (S256). The suite sends it only in the PKCE module. */
  pkce?: boolean;
  extra?: Record<string, string>;
  /** GET (query) or POST (form body) to the authorization endpoint. */
  method?: "GET" | "POST";
  /** Put the parameters on the wire in this order (names not listed follow). */
  order?: string[];
}

export interface AuthorizationRequest {
  params: URLSearchParams;
  state: string | null;
  nonce: string | null;
  pkce: { verifier: string; challenge: string } | null;
  clientId: string;
  redirectUri: string;
  method: "GET" | "POST";
}

/** The authorization request the suite builds: client_id, redirect_uri, scope, state, nonce, response_type=code. */
export function authorizationRequest(op: Op, options: AuthorizationOptions = {}): AuthorizationRequest {
  const state = options.state === undefined ? randomValue() : options.state;
  const nonce = options.nonce === undefined ? randomValue() : options.nonce;
  const pkce = options.pkce ? pkcePair() : null;
  const clientId = options.clientId ?? op.client.clientId;
  const redirectUri = options.redirectUri ?? op.p.redirectUri;
  const entries: [string, string][] = [
    ["client_id", clientId],
    ["redirect_uri", redirectUri],
    ["scope", options.scope ?? "openid"],
    ...(state !== null ? [["state", state] as [string, string]] : []),
    ...(nonce !== null ? [["nonce", nonce] as [string, string]] : []),
    ...(options.responseType === null ? [] : [["response_type", options.responseType ?? "code"] as [string, string]]),
    ...(pkce ? [["code_challenge", pkce.challenge], ["code_challenge_method", "S256"]] as [string, string][] : []),
    ...Object.entries(options.extra ?? {}),
  ];
  if (options.order) {
    const rank = (name: string) => {
      const at = options.order!.indexOf(name);
      return at < 0 ? options.order!.length : at;
    };
    entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  }
  return { params: new URLSearchParams(entries), state, nonce, pkce, clientId, redirectUri, method: options.method ?? "GET" };
}

/** Sends an authorization request as the browser would (GET with a query, or POST with a form). */
export function sendAuthorization(op: Op, request: AuthorizationRequest): Promise<Response> {
  const path = new URL(op.metadata.authorization_endpoint).pathname;
  if (request.method === "POST") {
    return op.server.fetch(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: request.params.toString() });
  }
  return op.server.fetch(`${path}?${request.params}`);
}

/** The `return` value of a redirect to Sigil's sign-in page, or a failed expectation. */
export function loginPageReturn(op: Op, response: Response): string {
  const location = response.headers.get("location") ?? "";
  expect({ status: response.status, location: location.replace(/\?.*/, "") }).toEqual({ status: 302, location: "/login.html" });
  const returnTo = new URL(location, op.issuer).searchParams.get("return");
  expect(typeof returnTo).toBe("string");
  return returnTo!;
}

interface LoginAnswer {
  status: number;
  body: { ok?: boolean; code?: string; redirect?: string; sso?: string; error?: string; error_description?: string };
}

/** POST Sigil's login endpoint as its sign-in page does (JSON). */
export async function postLogin(op: Op, body: Record<string, string>): Promise<LoginAnswer> {
  const response = await op.server.fetch("/oauth2/v1/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as LoginAnswer["body"] };
}

/** The password sign-in the page sends: the user's HA1 with the `return` it was handed. */
export const passwordLogin = (op: Op, returnTo: string) =>
  postLogin(op, { user: op.p.username, ha1: ha1(op.p.username, op.p.host, op.p.password), return: returnTo });

/**
 * One browser at Sigil's origin. Its localStorage holds the single sign-on assertion, and it
 * follows the sign-in page's rules (web/login.ts): with prompt=none, or with a stored assertion
 * and no prompt=login, it first offers the assertion; if that does not finish the sign-in (and
 * prompt is not none) the user types the password. `interactiveLogins` counts the times the
 * user was asked for the password, the thing prompt=login and max_age must force and
 * prompt=none and max_age=10000 must avoid.
 */
export class UserAgent {
  sso: string | null = null;
  interactiveLogins = 0;

  constructor(private readonly op: Op) {}

  /** Authorize and come back with the redirect to the client, as a URL. */
  async authorize(request: AuthorizationRequest): Promise<URL> {
    const returnTo = loginPageReturn(this.op, await sendAuthorization(this.op, request));
    const prompt = new Set((new URL(returnTo, this.op.issuer).searchParams.get("prompt") ?? "").split(" ").filter(Boolean));
    if (prompt.has("none") || (this.sso !== null && !prompt.has("login"))) {
      const answer = await postLogin(this.op, { ...(this.sso ? { sso: this.sso } : {}), return: returnTo });
      const followed = this.follow(answer);
      if (followed) return followed;
      expect(answer.body.error).toBe("login_required");
      if (prompt.has("none")) throw new Error(`prompt=none ended without a redirect: ${JSON.stringify(answer)}`);
    }
    this.interactiveLogins++;
    const answer = await passwordLogin(this.op, returnTo);
    const followed = this.follow(answer);
    if (!followed) throw new Error(`password sign-in did not redirect: ${JSON.stringify(answer)}`);
    return followed;
  }

  /**
   * Opens an end_session URL. Sigil answers with its signed-out page, whose script (/logout.js)
   * removes the assertion from localStorage and then, when the page carries data-redirect, goes
   * there; this does the same (oidcc-rp-initiated-logout runs the real script in Chromium).
   * Returns where the page sent the browser, or null.
   */
  async endSession(params: Record<string, string>): Promise<URL | null> {
    const response = await endSession(this.op, params);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<script[^>]+src="\/logout\.js"/);
    this.sso = null;
    const target = logoutRedirectTarget(html);
    return target === null ? null : new URL(target);
  }

  private follow(answer: LoginAnswer): URL | null {
    if (typeof answer.body.redirect !== "string") return null;
    if (answer.status === 200) {
      if (typeof answer.body.sso === "string") this.sso = answer.body.sso;
      return new URL(answer.body.redirect);
    }
    return answer.body.error === "login_required" ? new URL(answer.body.redirect) : null;
  }
}

/** The redirect back to the client: at the requested redirect_uri, and its parameters. */
export function callbackParams(callback: URL, request: AuthorizationRequest): Record<string, string> {
  expect(`${callback.origin}${callback.pathname}`).toBe(request.redirectUri);
  expect(callback.hash).toBe("");
  const params: Record<string, string> = {};
  for (const [name, value] of callback.searchParams) {
    expect(params).not.toHaveProperty(name);
    params[name] = value;
  }
  return params;
}

/**
 * A successful authorization response (CheckMatchingCallbackParameters, ValidateIssIfPresent,
 * CheckStateInAuthorizationResponse): no error, a code, the state echoed, iss the issuer (RFC 9207).
 */
export function expectAuthorizationSuccess(op: Op, callback: URL, request: AuthorizationRequest): string {
  const params = callbackParams(callback, request);
  expect(params.error).toBeUndefined();
  expect(typeof params.code).toBe("string");
  expect(params.state).toBe(request.state ?? undefined);
  expect(params.iss).toBe(op.issuer);
  return params.code!;
}

/** RFC 6749 §4.1.2.1 and §5.2: error_description and error_uri may hold only %x20-21 / %x23-5B / %x5D-7E. */
const ERROR_TEXT = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * The suite's generic checks on an authorization error response (state and iss echoed, an error,
 * no code, no parameters beyond error, error_description, error_uri, state, session_state and iss,
 * an error_description without CR, LF or TAB and in the allowed characters), and its error.
 */
export function expectAuthorizationError(op: Op, callback: URL, request: AuthorizationRequest): string {
  const params = callbackParams(callback, request);
  expect(typeof params.error).toBe("string");
  expect(params.error).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/);
  expect(params.code).toBeUndefined();
  expect(params.state).toBe(request.state ?? undefined);
  expect(params.iss).toBe(op.issuer);
  const allowed = ["error", "error_description", "error_uri", "state", "session_state", "iss"];
  expect(Object.keys(params).filter((name) => !allowed.includes(name))).toEqual([]);
  if (params.error_description !== undefined) {
    expect(params.error_description).not.toMatch(/[\r\n\t]/);
    expect(params.error_description).toMatch(ERROR_TEXT);
  }
  if (params.error_uri !== undefined) expect(() => new URL(params.error_uri!)).not.toThrow();
  return params.error!;
}

/** The suite's authorization-code checks: at least 128 bits long and more than 96 bits of Shannon entropy. */
export function expectStrongCode(code: string): void {
  expect(Buffer.byteLength(code) * 8).toBeGreaterThanOrEqual(128);
  expect(shannonEntropyBits(code)).toBeGreaterThan(96);
}

/** Shannon entropy of the characters times the length, as the suite estimates a token's randomness. */
export function shannonEntropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bitsPerCharacter = 0;
  for (const count of counts.values()) {
    const probability = count / value.length;
    bitsPerCharacter -= probability * Math.log2(probability);
  }
  return bitsPerCharacter * value.length;
}

export type ClientAuth = "client_secret_basic" | "client_secret_post";

/** POST the token endpoint with a form, authenticating as `client` the way `auth` says. */
export function tokenEndpoint(op: Op, form: Record<string, string>, client: StaticClient = op.client, auth: ClientAuth = "client_secret_basic"): Promise<Response> {
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "client_secret_basic") {
    // RFC 6749 §2.3.1: form-urlencode both parts before Basic encoding.
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
  } else {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
  }
  return op.server.fetch(new URL(op.metadata.token_endpoint).pathname, { method: "POST", headers, body: body.toString() });
}

/** The code grant the suite sends (CreateTokenEndpointRequestForAuthorizationCodeGrant), plus code_verifier when PKCE was used. */
export function exchangeCode(op: Op, code: string, request: AuthorizationRequest, client: StaticClient = op.client, auth: ClientAuth = "client_secret_basic"): Promise<Response> {
  return tokenEndpoint(op, {
    grant_type: "authorization_code",
    code,
    redirect_uri: request.redirectUri,
    ...(request.pkce ? { code_verifier: request.pkce.verifier } : {}),
  }, client, auth);
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  [key: string]: unknown;
}

/**
 * A successful token response (CheckTokenEndpointHttpStatus200, CheckTokenEndpointReturnedJsonContentType,
 * CheckTokenEndpointCacheHeaders, CheckForAccessTokenValue, CheckTokenTypeIsBearer, ValidateExpiresIn,
 * ExtractIdTokenFromTokenResponse): 200 JSON, Cache-Control no-store, a Bearer access token, a positive
 * integer expires_in and an id_token.
 */
export async function expectTokenResponse(response: Response, { idToken = true } = {}): Promise<TokenResponse> {
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toEqual({ status: 200, body: expect.any(String) });
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  expect(response.headers.get("cache-control") ?? "").toContain("no-store");
  const body = JSON.parse(text) as TokenResponse;
  expect(typeof body.access_token).toBe("string");
  expect(body.access_token).toMatch(/^[\x20-\x7E]+$/);
  expect(body.token_type.toLowerCase()).toBe("bearer");
  expect(Number.isInteger(body.expires_in)).toBe(true);
  expect(body.expires_in).toBeGreaterThan(0);
  if (idToken) expect(typeof body.id_token).toBe("string");
  return body;
}

/** A token endpoint error: 400, JSON, the given error, a valid error_description (CheckTokenEndpointHttpStatus400 and kin). */
export async function expectTokenError(response: Response, error: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toEqual({ status: 400, body: expect.any(String) });
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.error).toBe(error);
  if (body.error_description !== undefined) {
    expect(typeof body.error_description).toBe("string");
    expect(body.error_description as string).not.toMatch(/[\r\n\t]/);
    expect(body.error_description as string).toMatch(ERROR_TEXT);
  }
  for (const field of ["access_token", "id_token", "refresh_token"]) expect(body).not.toHaveProperty(field);
  return body;
}

/** at_hash: base64url of the left half of the SHA-256 of the access token (OIDC Core §3.1.3.6, RS256). */
export const atHash = (accessToken: string) =>
  Buffer.from(new Bun.CryptoHasher("sha256").update(accessToken).digest().subarray(0, 16)).toString("base64url");

export interface IdTokenExpectations {
  clientId?: string;
  /** The nonce the request carried, or null when it carried none. */
  nonce: string | null;
  /** When given and the token has at_hash, it must match (ValidateAtHash). */
  accessToken?: string;
}

export interface CheckedIdToken {
  header: { alg?: string; kid?: string; [key: string]: unknown };
  claims: JWTPayload & { auth_time?: number; nonce?: string; at_hash?: string; acr?: string; azp?: string; [key: string]: unknown };
}

/**
 * PerformStandardIdTokenChecks: the signature verifies (RS256) with the JWKS key its `kid` names;
 * iss is the discovery issuer; aud contains the client (azp names it when there are several);
 * exp is not more than 5 minutes past, nor absurdly far ahead; iat is neither more than 5 minutes
 * ahead nor more than 5 minutes old; auth_time, when present, is neither ahead nor older than a
 * year; nbf is not ahead; acr is not empty; sub is present; nonce equals the request's; updated_at
 * is a number; at_hash, when present, matches the access token.
 */
export async function expectValidIdToken(op: Op, idToken: string, expected: IdTokenExpectations): Promise<CheckedIdToken> {
  const clientId = expected.clientId ?? op.client.clientId;
  const header = decodeProtectedHeader(idToken) as CheckedIdToken["header"];
  expect(header.alg).toBe("RS256");
  expect(typeof header.kid).toBe("string");
  expect(op.jwks.keys.some((key) => key.kid === header.kid)).toBe(true);
  // jose checks the signature against the key with that kid; clock checks are done below with the suite's skew.
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(op.jwks), { algorithms: ["RS256"], clockTolerance: 300 });
  const claims = payload as CheckedIdToken["claims"];
  const now = nowSeconds();
  const skew = 300;
  expect(claims.iss).toBe(op.issuer);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  expect(audiences).toContain(clientId);
  if (audiences.length > 1) expect(claims.azp).toBe(clientId);
  if (claims.azp !== undefined) expect(claims.azp).toBe(clientId);
  expect(typeof claims.exp).toBe("number");
  expect(claims.exp!).toBeGreaterThanOrEqual(now - skew);
  expect(claims.exp!).toBeLessThan(now + 50 * 365 * 86400);
  expect(typeof claims.iat).toBe("number");
  expect(claims.iat!).toBeLessThanOrEqual(now + skew);
  expect(claims.iat!).toBeGreaterThanOrEqual(now - skew);
  if (claims.auth_time !== undefined) {
    expect(typeof claims.auth_time).toBe("number");
    expect(claims.auth_time).toBeLessThanOrEqual(now + skew);
    expect(claims.auth_time).toBeGreaterThanOrEqual(now - 365 * 86400);
  }
  if (claims.nbf !== undefined) expect(claims.nbf).toBeLessThanOrEqual(now + skew);
  if (claims.acr !== undefined) expect(claims.acr).not.toBe("");
  expect(typeof claims.sub).toBe("string");
  expect(claims.sub!.length).toBeGreaterThan(0);
  if (expected.nonce === null) expect(claims.nonce).toBeUndefined();
  else expect(claims.nonce).toBe(expected.nonce);
  if (claims.updated_at !== undefined) expect(typeof claims.updated_at).toBe("number");
  if (claims.at_hash !== undefined && expected.accessToken !== undefined) expect(claims.at_hash).toBe(atHash(expected.accessToken));
  return { header, claims };
}

/** The JWKS checks every module runs at set-up: keys valid, each with a kid, the kids distinct, no private or symmetric material. */
export function expectValidJwks(jwks: JSONWebKeySet): void {
  expect(Array.isArray(jwks.keys)).toBe(true);
  expect(jwks.keys.length).toBeGreaterThan(0);
  const kids = jwks.keys.map((key) => key.kid);
  for (const kid of kids) expect(typeof kid).toBe("string");
  expect(new Set(kids).size).toBe(kids.length);
  for (const key of jwks.keys) {
    expect(["RSA", "EC", "OKP"]).toContain(String(key.kty));
    expect(key.kty).not.toBe("oct");
    for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(secret);
    if (key.kty === "RSA") {
      expect(typeof key.n).toBe("string");
      expect(typeof key.e).toBe("string");
      expect(Buffer.from(key.n!, "base64url").length * 8).toBeGreaterThanOrEqual(2048);
    }
  }
}

export type UserinfoStyle = "get-header" | "post-header" | "post-body";

/** Calls userinfo the three ways the suite does: GET with a Bearer header, POST with it, POST with access_token in the form. */
export function callUserinfo(op: Op, accessToken: string, style: UserinfoStyle = "get-header"): Promise<Response> {
  const path = new URL(op.metadata.userinfo_endpoint).pathname;
  if (style === "get-header") return op.server.fetch(path, { headers: { authorization: `Bearer ${accessToken}` } });
  if (style === "post-header") return op.server.fetch(path, { method: "POST", headers: { authorization: `Bearer ${accessToken}` } });
  return op.server.fetch(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ access_token: accessToken }).toString() });
}

/**
 * The userinfo checks (EnsureHttpStatusCodeIs200, EnsureContentTypeJson, ValidateUserInfoStandardClaims,
 * EnsureUserInfoContainsSub, EnsureUserInfoUpdatedAtValid, VerifyUserInfoAndIdTokenInTokenEndpointSameSub).
 */
export async function expectUserinfo(response: Response, idTokenSub: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toEqual({ status: 200, body: expect.any(String) });
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const claims = JSON.parse(text) as Record<string, unknown>;
  expect(claims.sub).toBe(idTokenSub);
  expectStandardClaimTypes(claims);
  return claims;
}

/** OIDC Core §5.1: the standard claims, when present, have their defined JSON types. */
export function expectStandardClaimTypes(claims: Record<string, unknown>): void {
  const strings = ["sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
    "email", "gender", "birthdate", "zoneinfo", "locale", "phone_number"];
  for (const name of strings) if (claims[name] !== undefined) expect({ [name]: typeof claims[name] }).toEqual({ [name]: "string" });
  for (const name of ["email_verified", "phone_number_verified"]) if (claims[name] !== undefined) expect({ [name]: typeof claims[name] }).toEqual({ [name]: "boolean" });
  if (claims.updated_at !== undefined) expect(typeof claims.updated_at).toBe("number");
  if (claims.address !== undefined) expect(typeof claims.address).toBe("object");
}

export interface CompletedFlow {
  request: AuthorizationRequest;
  code: string;
  tokens: TokenResponse;
  idToken: CheckedIdToken;
}

/**
 * The whole happy flow of AbstractOIDCCServerTest: authorize, sign in (through `agent`, a fresh
 * one unless given), check the authorization response, exchange the code, check the token
 * response and the id_token.
 */
export async function completeFlow(op: Op, options: AuthorizationOptions & { agent?: UserAgent; client?: StaticClient; auth?: ClientAuth } = {}): Promise<CompletedFlow> {
  const client = options.client ?? op.client;
  const request = authorizationRequest(op, { clientId: client.clientId, ...options });
  const agent = options.agent ?? new UserAgent(op);
  const callback = await agent.authorize(request);
  const code = expectAuthorizationSuccess(op, callback, request);
  const tokens = await expectTokenResponse(await exchangeCode(op, code, request, client, options.auth));
  const idToken = await expectValidIdToken(op, tokens.id_token!, { clientId: client.clientId, nonce: request.nonce, accessToken: tokens.access_token });
  return { request, code, tokens, idToken };
}

/** The signed-out / error page checks of the logout modules: no Location, no Refresh, no data-redirect, no link to `uri`'s host. */
export async function expectNoLogoutRedirect(response: Response, uri?: string): Promise<{ status: number; html: string }> {
  const html = await response.text();
  expect(response.headers.has("location")).toBe(false);
  expect(response.headers.has("refresh")).toBe(false);
  expect(html).not.toMatch(/http-equiv\s*=\s*["']?refresh/i);
  expect(html).not.toContain("data-redirect");
  if (uri) expect(html).not.toContain(new URL(uri).host);
  return { status: response.status, html };
}

/** The post-logout redirect Sigil's signed-out page performs (data-redirect, followed by /logout.js), HTML-unescaped. */
export function logoutRedirectTarget(html: string): string | null {
  const main = /<main id="sigil-logout"([^>]*)>/.exec(html);
  if (!main) throw new Error(`no <main id="sigil-logout"> in ${html.slice(0, 300)}`);
  const attribute = /\sdata-redirect="([^"]*)"/.exec(main[1] ?? "");
  if (!attribute) return null;
  const entities: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&lt;": "<", "&gt;": ">" };
  return (attribute[1] ?? "").replace(/&(amp|quot|#39|lt|gt);/g, (entity) => entities[entity] ?? entity);
}

/** GET the end_session endpoint with these parameters. */
export function endSession(op: Op, params: Record<string, string>): Promise<Response> {
  const path = new URL(op.metadata.end_session_endpoint!).pathname;
  const query = new URLSearchParams(params).toString();
  return op.server.fetch(query ? `${path}?${query}` : path);
}

interface ExpectedFailureEntry {
  "test-name": string;
  condition: string;
  "expected-result": string;
}

/**
 * For a condition the suite rates WARNING: the live runner (conformance/run) fails on any warning
 * that conformance/expected-failures.json does not list, and on any listed entry nothing used. So
 * when Sigil's behaviour draws the warning, the file must list it; when it does not, the file must not.
 */
export async function expectWarningAccountedFor(module: string, condition: string, warned: boolean, because: unknown = null): Promise<void> {
  const entries = (await Bun.file(join(import.meta.dir, "..", "expected-failures.json")).json()) as ExpectedFailureEntry[];
  const listed = entries.some((entry) => entry["test-name"] === module && entry.condition === condition);
  // `because` rides along so that a failure shows what drew the warning.
  expect({ module, condition, suiteWarns: warned, because, listedInExpectedFailures: listed })
    .toEqual({ module, condition, suiteWarns: warned, because, listedInExpectedFailures: warned });
}

/**
 * The logout modules' common part (AbstractOIDCCRpInitiatedLogout): a normal sign-in with a
 * 128-character state, returning the id_token to use as id_token_hint and the browser that holds
 * the session.
 */
export async function signInForLogout(op: Op): Promise<{ agent: UserAgent; flow: CompletedFlow }> {
  const agent = new UserAgent(op);
  const state = (crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID()).replace(/-/g, "");
  const flow = await completeFlow(op, { agent, state });
  expect(flow.request.state!.length).toBe(128);
  return { agent, flow };
}

/** The end-session state the suite sends (CreateRandomEndSessionState). */
export const endSessionState = () => randomValue(24);

/**
 * A logout the OP must not complete by redirecting (bad URI, bad hint, no hint): no Location,
 * no Refresh, no data-redirect, nothing that links to the URI; an error page (4xx, Sigil's
 * error marker) or a page asking or saying the user is signed out. Returns which it was.
 */
export async function expectLogoutNotRedirected(response: Response, attemptedUri?: string): Promise<"error" | "signed-out"> {
  const { status, html } = await expectNoLogoutRedirect(response, attemptedUri);
  expect(response.headers.get("content-type") ?? "").toContain("text/html");
  const isError = status >= 400 && status < 500 && html.includes('id="sigil-error"');
  const isSignedOut = status === 200 && html.includes('id="sigil-logout"');
  expect({ status, isError, isSignedOut, acceptable: isError || isSignedOut }).toEqual({ status, isError, isSignedOut, acceptable: true });
  return isError ? "error" : "signed-out";
}

/** A "you are signed out" page (ExpectSuccessfulLogoutPage): 200 HTML, Sigil's signed-out marker, the script that ends the session, no redirect. */
export async function expectSignedOutPage(response: Response): Promise<string> {
  const { status, html } = await expectNoLogoutRedirect(response);
  expect(status).toBe(200);
  expect(response.headers.get("content-type") ?? "").toContain("text/html");
  expect(html).toContain('id="sigil-logout"');
  expect(logoutRedirectTarget(html)).toBeNull();
  expect(html).toMatch(/<script[^>]+src="\/logout\.js"/);
  return html;
}

export interface BrowserLogoutResult {
  /** The URL the browser landed on after end_session (the post_logout_redirect_uri with its query). */
  postLogout: URL;
  /** The sent end-session state, or null. */
  endSessionState: string | null;
  /** The callback of a prompt=none request made before the logout (must succeed: the session existed). */
  silentBefore: URL;
  silentBeforeRequest: AuthorizationRequest;
  /** The callback of a prompt=none request made after the logout (must fail: the session is gone). */
  silentAfter: URL;
  silentAfterRequest: AuthorizationRequest;
}

/**
 * OIDCCRpInitiatedLogout's whole round in a real browser (Debian's Chromium), because Sigil's only
 * session is the assertion its sign-in page keeps in localStorage and its signed-out page's script
 * removes: sign in on /login.html with the ids the suite's browser script types into (#username,
 * #password, #submit), get the id_token, check that prompt=none succeeds, go to end_session with
 * the hint, the registered post_logout_redirect_uri and (unless withState is false) a state, land
 * on the post_logout_redirect_uri, then try prompt=none again.
 */
export async function browserLogoutRound(op: Op, { withState }: { withState: boolean }): Promise<BrowserLogoutResult> {
  const { launchBrowser } = await import("../../test/support/browser.ts");
  const browser = await launchBrowser();
  try {
    const rpOrigin = new URL(op.p.redirectUri).origin;
    await browser.context.route(`${rpOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>relying party</h1>" }));
    const page = await browser.context.newPage();
    const authorizeUrl = (request: AuthorizationRequest) => `${op.metadata.authorization_endpoint}?${request.params}`;
    const landOn = async (prefix: string) => {
      await page.waitForURL((url) => url.href.startsWith(prefix), { timeout: 15_000 });
      return new URL(page.url());
    };

    const state = (crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID() + crypto.randomUUID()).replace(/-/g, "");
    const first = authorizationRequest(op, { state });
    await page.goto(authorizeUrl(first));
    await page.locator("#username").fill(op.p.username);
    await page.locator("#password").fill(op.p.password);
    await page.locator("#submit").click();
    const code = expectAuthorizationSuccess(op, await landOn(op.p.redirectUri), first);
    const tokens = await expectTokenResponse(await exchangeCode(op, code, first));
    await expectValidIdToken(op, tokens.id_token!, { nonce: first.nonce, accessToken: tokens.access_token });

    const silentBeforeRequest = authorizationRequest(op, { extra: { prompt: "none" } });
    await page.goto(authorizeUrl(silentBeforeRequest));
    const silentBefore = await landOn(op.p.redirectUri);

    const sentState = withState ? endSessionState() : null;
    const logout = new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: op.p.postLogoutRedirectUri, ...(sentState ? { state: sentState } : {}) });
    await page.goto(`${op.metadata.end_session_endpoint}?${logout}`);
    const postLogout = await landOn(op.p.postLogoutRedirectUri);

    const silentAfterRequest = authorizationRequest(op, { extra: { prompt: "none" } });
    await page.goto(authorizeUrl(silentAfterRequest));
    const silentAfter = await landOn(op.p.redirectUri);
    return { postLogout, endSessionState: sentState, silentBefore, silentBeforeRequest, silentAfter, silentAfterRequest };
  } finally {
    await browser.close();
  }
}

/** OIDC Core §5.4: the standard claims each scope value asks for (the table the suite checks against). */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ["sub"],
  profile: ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at", "preferred_username"],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
  offline_access: [],
};

/** The claims of `scope` (space-separated) missing from `claims`: what VerifyScopesReturnedInUserInfoClaims warns about. */
export function missingScopeClaims(scope: string, claims: Record<string, unknown>): string[] {
  return scope.split(" ").flatMap((value) => SCOPE_CLAIMS[value] ?? []).filter((claim) => !(claim in claims));
}

/** The id_token claims that are neither protocol claims nor asked for by `scope`: what EnsureIdTokenDoesNotContainNonRequestedClaims warns about. */
export function nonRequestedIdTokenClaims(scope: string, claims: Record<string, unknown>): string[] {
  const protocol = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "nbf", "jti", "sid", "s_hash", "txn"];
  const requested = scope.split(" ").includes("openid") ? scope.split(" ").flatMap((value) => SCOPE_CLAIMS[value] ?? []) : [];
  return Object.keys(claims).filter((claim) => !protocol.includes(claim) && !requested.includes(claim));
}

/** The claims each scope releases that Sigil's test user has values for (a subset of SCOPE_CLAIMS). */
const TEST_USER_SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ["name", "preferred_username"], email: ["email", "email_verified"], address: ["address"], phone: ["phone_number", "phone_number_verified"],
};

/**
 * The oidcc-scope-* modules: the flow with `scope` succeeds; for each scope Sigil lists in
 * scopes_supported, it is granted and userinfo returns its claims; for each it does not, it is
 * not granted and none of its claims appear.
 */
export async function expectScopeClaims(op: Op, scope: string): Promise<void> {
  const requested = scope.split(" ").filter((name) => name !== "openid");
  const flow = await completeFlow(op, { scope });
  const userinfo = await expectUserinfo(await callUserinfo(op, flow.tokens.access_token), flow.idToken.claims.sub!);
  const supported = op.metadata.scopes_supported ?? [];
  const granted = (flow.tokens.scope ?? scope).split(" ");
  for (const name of requested) {
    const offered = supported.includes(name);
    expect({ scope: name, granted: granted.includes(name) }).toEqual({ scope: name, granted: offered });
    for (const claim of TEST_USER_SCOPE_CLAIMS[name]!) expect({ scope: name, claim, present: claim in userinfo }).toEqual({ scope: name, claim, present: offered });
  }
}
