// oidcc-discovery-endpoint-verification (OIDCCDiscoveryEndpointVerification, the whole Config plan):
// the discovery document answers 200 JSON; its issuer is the discovery URL minus
// /.well-known/openid-configuration; the metadata fits RFC 8414's types and names nothing unknown;
// response_types_supported holds an OpenID Connect response type; subject_types_supported holds
// public or pairwise; id_token_signing_alg_values_supported holds RS256; the endpoints and jwks_uri
// are valid URLs; the JWKS is valid and public; scopes_supported holds openid and only valid scope
// tokens; claims_supported and grant_types_supported are non-empty arrays; the locales are BCP 47;
// code_challenge_methods_supported is an array; every endpoint is HTTPS (behind Sigil's TLS proxy).
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { JSONWebKeySet } from "jose";
import { expectValidJwks, pathOf, startOp, type Op } from "./support.ts";

let op: Op;
beforeAll(async () => {
  op = await startOp({ args: ["--trust-proxy"] });
});
afterAll(() => op.stop());

const DISCOVERY = "/.well-known/openid-configuration";

/** Names registered for provider metadata (OIDC Discovery §3, RFC 8414 §2, RFC 9207, RP-Initiated Logout §2.1, and the other IANA entries). */
const KNOWN_METADATA = new Set([
  "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "registration_endpoint", "scopes_supported",
  "response_types_supported", "response_modes_supported", "grant_types_supported", "acr_values_supported", "subject_types_supported",
  "id_token_signing_alg_values_supported", "id_token_encryption_alg_values_supported", "id_token_encryption_enc_values_supported",
  "userinfo_signing_alg_values_supported", "userinfo_encryption_alg_values_supported", "userinfo_encryption_enc_values_supported",
  "request_object_signing_alg_values_supported", "request_object_encryption_alg_values_supported", "request_object_encryption_enc_values_supported",
  "token_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported", "display_values_supported", "claim_types_supported",
  "claims_supported", "service_documentation", "claims_locales_supported", "ui_locales_supported", "claims_parameter_supported",
  "request_parameter_supported", "request_uri_parameter_supported", "require_request_uri_registration", "op_policy_uri", "op_tos_uri",
  "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "revocation_endpoint_auth_signing_alg_values_supported",
  "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
  "code_challenge_methods_supported", "end_session_endpoint", "check_session_iframe", "frontchannel_logout_supported",
  "frontchannel_logout_session_supported", "backchannel_logout_supported", "backchannel_logout_session_supported",
  "authorization_response_iss_parameter_supported", "prompt_values_supported", "pushed_authorization_request_endpoint",
  "require_pushed_authorization_requests", "dpop_signing_alg_values_supported", "tls_client_certificate_bound_access_tokens",
  "mtls_endpoint_aliases", "signed_metadata", "device_authorization_endpoint", "require_signed_request_object",
  "authorization_signing_alg_values_supported", "authorization_encryption_alg_values_supported", "authorization_encryption_enc_values_supported",
  "backchannel_authentication_endpoint", "backchannel_token_delivery_modes_supported", "backchannel_authentication_request_signing_alg_values_supported",
  "backchannel_user_code_parameter_supported", "authorization_details_types_supported", "introspection_signing_alg_values_supported",
  "introspection_encryption_alg_values_supported", "introspection_encryption_enc_values_supported", "jwks", "signed_jwks_uri",
]);
const ARRAYS = [...KNOWN_METADATA].filter((name) => name.endsWith("_supported") && !/(_parameter_supported|logout_supported|logout_session_supported|iss_parameter_supported|user_code_parameter_supported)$/.test(name));
const BOOLEANS = ["claims_parameter_supported", "request_parameter_supported", "request_uri_parameter_supported", "require_request_uri_registration",
  "frontchannel_logout_supported", "frontchannel_logout_session_supported", "backchannel_logout_supported", "backchannel_logout_session_supported",
  "authorization_response_iss_parameter_supported", "require_pushed_authorization_requests", "tls_client_certificate_bound_access_tokens", "require_signed_request_object"];
const ENDPOINTS = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "registration_endpoint", "end_session_endpoint",
  "revocation_endpoint", "introspection_endpoint", "check_session_iframe", "pushed_authorization_request_endpoint", "device_authorization_endpoint",
  "backchannel_authentication_endpoint"];

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** BCP 47 (RFC 5646) language tags, the common shapes: language[-script][-region][-variant]. */
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|\d{3}))?(-([a-zA-Z\d]{5,8}|\d[a-zA-Z\d]{3}))*$/;

async function discovery(headers: Record<string, string> = {}) {
  const response = await op.server.fetch(DISCOVERY, { headers });
  const text = await response.text();
  return { response, text, metadata: JSON.parse(text) as Record<string, unknown> };
}

test("the discovery document answers 200 with JSON, and its issuer is the discovery URL without the well-known suffix", async () => {
  const { response, metadata } = await discovery();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const discoveryUrl = `http://localhost:${op.server.port}${DISCOVERY}`;
  expect(String(metadata.issuer).replace(/\/$/, "")).toBe(discoveryUrl.slice(0, -DISCOVERY.length));
  const issuer = new URL(String(metadata.issuer));
  expect(issuer.search).toBe("");
  expect(issuer.hash).toBe("");
});

test("every metadata value has the type RFC 8414 and OIDC Discovery give it, and no name is unregistered", async () => {
  const { metadata } = await discovery();
  expect(Object.keys(metadata).filter((name) => !KNOWN_METADATA.has(name))).toEqual([]);
  for (const name of ARRAYS) if (name in metadata) expect({ [name]: Array.isArray(metadata[name]) }).toEqual({ [name]: true });
  for (const name of BOOLEANS) if (name in metadata) expect({ [name]: typeof metadata[name] }).toEqual({ [name]: "boolean" });
  for (const name of ENDPOINTS) if (name in metadata) expect({ [name]: typeof metadata[name] }).toEqual({ [name]: "string" });
});

test("the required OpenID Connect metadata is present with the values the suite demands", async () => {
  const { metadata } = await discovery();
  const oidcResponseTypes = ["code", "code id_token", "id_token", "token id_token", "id_token token", "code id_token token", "code token"];
  expect((metadata.response_types_supported as string[]).some((value) => oidcResponseTypes.includes(value))).toBe(true);
  expect((metadata.subject_types_supported as string[]).some((value) => value === "public" || value === "pairwise")).toBe(true);
  expect(metadata.id_token_signing_alg_values_supported).toContain("RS256");
  if (metadata.userinfo_signing_alg_values_supported !== undefined) expect(Array.isArray(metadata.userinfo_signing_alg_values_supported)).toBe(true);
  for (const name of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"]) {
    expect(() => new URL(String(metadata[name]))).not.toThrow();
  }
  if (metadata.grant_types_supported !== undefined) {
    expect(Array.isArray(metadata.grant_types_supported)).toBe(true);
    expect((metadata.grant_types_supported as unknown[]).length).toBeGreaterThan(0);
  }
  expect(Array.isArray(metadata.claims_supported)).toBe(true);
  expect((metadata.claims_supported as unknown[]).length).toBeGreaterThan(0);
  expect(Array.isArray(metadata.code_challenge_methods_supported)).toBe(true);
});

test("scopes_supported contains openid and only valid scope tokens", async () => {
  const { metadata } = await discovery();
  const scopes = metadata.scopes_supported as unknown[];
  expect(scopes).toContain("openid");
  for (const scope of scopes) expect(String(scope)).toMatch(SCOPE_TOKEN);
});

test("ui_locales_supported and claims_locales_supported, when present, are BCP 47 language tags", async () => {
  const { metadata } = await discovery();
  for (const name of ["ui_locales_supported", "claims_locales_supported"]) {
    if (metadata[name] === undefined) continue;
    for (const tag of metadata[name] as unknown[]) expect(String(tag)).toMatch(LANGUAGE_TAG);
  }
});

test("request, request_uri and claims parameter support is stated as booleans the rest of the battery holds Sigil to", async () => {
  const { metadata } = await discovery();
  // Informational in the suite; here they decide which answer the request-object modules must get.
  expect(metadata.request_parameter_supported).toBe(false);
  expect(metadata.request_uri_parameter_supported).toBe(false);
  expect(typeof metadata.claims_parameter_supported).toBe("boolean");
  if (metadata.request_object_signing_alg_values_supported !== undefined) expect(metadata.request_object_signing_alg_values_supported).toContain("RS256");
});

test("the JWKS at jwks_uri is valid and holds public keys only", async () => {
  const { metadata } = await discovery();
  const response = await op.server.fetch(pathOf(String(metadata.jwks_uri)));
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type") ?? "").toMatch(/json/);
  expectValidJwks((await response.json()) as JSONWebKeySet);
});

test("behind a TLS proxy (--trust-proxy, X-Forwarded-Proto https) the issuer and every endpoint are HTTPS URLs at the issuer's origin", async () => {
  const { metadata } = await discovery({ "x-forwarded-proto": "https", "x-forwarded-host": "localhost" });
  expect(metadata.issuer).toBe("https://localhost");
  for (const name of ENDPOINTS) {
    if (metadata[name] === undefined) continue;
    const url = new URL(String(metadata[name]));
    expect({ [name]: url.protocol }).toEqual({ [name]: "https:" });
    expect({ [name]: url.origin }).toEqual({ [name]: "https://localhost" });
  }
});
