import type { Client, Store } from "../store/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { checkCodeChallenge } from "./check-pkce.ts";
import { checkRedirectUri } from "./check-redirect-uri.ts";
import { findClient } from "./find-client.ts";
import { parseScope } from "./scopes.ts";

/** A validated OpenID Connect authorization request (Authorization Code flow). */
export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  prompt: Set<string>;
  maxAge: number | null;
  loginHint: string | null;
  acrValues: string[];
  idTokenHint: string | null;
}

const SINGLE_VALUED = [
  "client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "nonce", "code_challenge",
  "code_challenge_method", "prompt", "max_age", "login_hint", "acr_values", "id_token_hint", "request", "request_uri",
];
const PROMPTS = new Set(["none", "login", "consent", "select_account"]);

/**
 * Validates an authorization request in the order OIDC Core §3.1.2.2 implies:
 * first the client and redirect_uri (failures there are shown, never redirected),
 * then everything else (failures redirected to the client with state and iss).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequestValidation
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export async function parseAuthorizationRequest(store: Store, tenant: string, issuer: string, params: Params): Promise<AuthorizationRequest> {
  const clientId = params.get("client_id");
  if (!clientId) throw new OAuthError("invalid_request", "The request has no client_id.");
  if (params.repeatedAmong(["client_id", "redirect_uri"]).length > 0) throw new OAuthError("invalid_request", "client_id and redirect_uri must not repeat.");
  const client = await findClient(store, tenant, issuer, clientId);
  if (!client) throw new OAuthError("invalid_client", "The application is not registered here.", { status: 400, internal: `unknown client_id ${clientId.slice(0, 80)}` });
  const redirectUri = checkRedirectUri(client, params.get("redirect_uri"));

  const redirectable = (error: ConstructorParameters<typeof OAuthError>[0], description: string) =>
    new OAuthError(error, description, { redirectable: true });

  if (!client.grantTypes.includes("authorization_code")) throw redirectable("unauthorized_client", "This client is not registered for the authorization code flow.");
  const repeated = params.repeatedAmong(SINGLE_VALUED);
  if (repeated.length > 0) throw redirectable("invalid_request", `Parameters must not repeat: ${repeated.join(", ")}.`);
  if (params.has("request")) throw redirectable("request_not_supported", "Request objects are not supported.");
  if (params.has("request_uri")) throw redirectable("request_uri_not_supported", "request_uri is not supported.");

  const responseType = params.get("response_type");
  if (!responseType) throw redirectable("invalid_request", "The request has no response_type.");
  if (responseType !== "code") throw redirectable("unsupported_response_type", "Only response_type=code is supported.");
  const responseMode = params.get("response_mode");
  if (responseMode !== undefined && responseMode !== "query") throw redirectable("invalid_request", "Only response_mode=query is supported.");

  const scopes = parseScope(params.get("scope"));
  if (!params.has("scope")) throw redirectable("invalid_scope", "The request has no scope.");

  const codeChallenge = checkCodeChallenge(params.get("code_challenge") ?? null, params.get("code_challenge_method"), client.secretHash === null);

  const prompt = new Set((params.get("prompt") ?? "").split(" ").filter((p) => p.length > 0));
  for (const value of prompt) if (!PROMPTS.has(value)) throw redirectable("invalid_request", `Unknown prompt value ${value.slice(0, 40)}.`);
  if (prompt.has("none") && prompt.size > 1) throw redirectable("invalid_request", "prompt=none cannot be combined with other values.");

  let maxAge: number | null = null;
  const maxAgeText = params.get("max_age");
  if (maxAgeText !== undefined) {
    if (!/^\d{1,10}$/.test(maxAgeText)) throw redirectable("invalid_request", "max_age must be a non-negative integer.");
    maxAge = Number(maxAgeText);
  }

  const state = params.get("state") ?? null;
  const nonce = params.get("nonce") ?? null;
  if ((state?.length ?? 0) > 2048 || (nonce?.length ?? 0) > 2048) throw redirectable("invalid_request", "state or nonce is too long.");

  return {
    client,
    redirectUri,
    scopes,
    state,
    nonce,
    codeChallenge,
    prompt,
    maxAge,
    loginHint: params.get("login_hint") ?? null,
    acrValues: (params.get("acr_values") ?? "").split(" ").filter((v) => v.length > 0),
    idTokenHint: params.get("id_token_hint") ?? null,
  };
}
