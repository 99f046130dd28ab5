import { ACR } from "../login/index.ts";
import type { RequestContext } from "../context/index.ts";
import { endpointUrl } from "./endpoints.ts";
import { CLIENT_AUTH_METHODS } from "./client-authentication.ts";
import { SUPPORTED_CLAIMS, SUPPORTED_SCOPES } from "./scopes.ts";

/**
 * Provider metadata, served at /.well-known/openid-configuration and
 * /.well-known/oauth-authorization-server. The issuer is the exact origin of the request.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export function providerMetadata(context: RequestContext): Record<string, unknown> {
  const { issuer } = context;
  return {
    issuer,
    authorization_endpoint: endpointUrl(issuer, "authorize"),
    token_endpoint: endpointUrl(issuer, "token"),
    userinfo_endpoint: endpointUrl(issuer, "userinfo"),
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    end_session_endpoint: endpointUrl(issuer, "end_session"),
    introspection_endpoint: endpointUrl(issuer, "introspect"),
    revocation_endpoint: endpointUrl(issuer, "revoke"),
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    code_challenge_methods_supported: ["S256"],
    claims_supported: [...SUPPORTED_CLAIMS],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: false,
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ["none", "login", "consent", "select_account"],
    acr_values_supported: Object.values(ACR),
    ui_locales_supported: ["en"],
    claim_types_supported: ["normal"],
  };
}
