// The authorization request as the suite builds and sends it, the password sign-in Sigil's page
// performs, and the suite's checks on the authorization response (success or error) and its code.
import { expect } from "bun:test";
import { ha1 } from "../../../test/support/fixtures.ts";
import { pkcePair, postLogin as postLoginPage } from "../../../test/support/oauth-flow.ts";
import { randomValue, type Op } from "./op.ts";

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

export interface LoginAnswer {
  status: number;
  body: { ok?: boolean; code?: string; redirect?: string; sso?: string; error?: string; error_description?: string };
}

/** POST Sigil's login endpoint as its sign-in page does (JSON). */
export async function postLogin(op: Op, body: Record<string, string>): Promise<LoginAnswer> {
  const response = await postLoginPage(op.server, op.p.host, body);
  return { status: response.status, body: (await response.json()) as LoginAnswer["body"] };
}

/** The password sign-in the page sends: the user's HA1 with the `return` it was handed. */
export const passwordLogin = (op: Op, returnTo: string) =>
  postLogin(op, { user: op.p.username, ha1: ha1(op.p.username, op.p.host, op.p.password), return: returnTo });

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
export const ERROR_TEXT = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

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
