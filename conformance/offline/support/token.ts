// The token endpoint as the suite calls it, and its checks on the answers.
import { expect } from "bun:test";
import { ERROR_TEXT, type AuthorizationRequest } from "./authorization.ts";
import type { Op, StaticClient } from "./op.ts";

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
