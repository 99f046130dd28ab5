// The request checks the suite's AbstractVP1FinalVerifierTest applies in every module
// (validateRequestObject, validateAuthorizationEndpointRequestParameters), written against the
// specifications they cite (OpenID4VP 1.0 §5, §5.8-5.10; HAIP 1.0 §5).
import { expect } from "bun:test";
import { compactVerify, decodeJwt, importX509 } from "jose";
import { certificateFromX5c, sanDnsNames } from "../../../src/oid4vp/x509.ts";
import type { FetchedRequest, RequestObjectPayload } from "../../../test/support/wallet/fetch-request-object.ts";
import type { TestCa } from "../../../test/support/wallet/test-pki.ts";
import { shannonEntropyBits } from "./authorization.ts";
import { nowSeconds } from "./op.ts";
import { TENANT_OF, type Started } from "./oid4vp-verifier.ts";

const SELF_ISSUED = "https://self-issued.me/v2";
/** The suite's CheckForUnexpectedParametersInVpAuthorizationRequest list (request parameters and JWT claims). */
const KNOWN_REQUEST_PARAMETERS = [
  "presentation_definition", "dcql_query", "client_id", "client_id_scheme", "response_uri", "client_metadata", "nonce", "state", "response_type",
  "response_mode", "verifier_info", "scope", "request_uri_method", "wallet_nonce", "aud", "iss", "iat", "nbf", "exp", "jti",
];

/**
 * What every module checks on the way in, before it answers: the wallet URL's parameters, the
 * request object's header, signature, x5c chain, claims and client_metadata, per variant.
 * `anchor` is the CA given to the suite as client.request_object_trust_anchor_pem.
 */
export async function expectSuiteRequestChecks(started: Started, fetched: FetchedRequest, anchor: TestCa): Promise<void> {
  const { variant } = started;
  const url = new URL(started.walletUrl);
  const urlClientId = url.searchParams.get("client_id");
  const requestUri = url.searchParams.get("request_uri");
  // CheckRequestUriMethodParameter, EnsureRequestUriHasNoFragment; the suite also wants https (EnsureRequestUriIsHttps): a deployment matter.
  expect(["get", "post", null]).toContain(url.searchParams.get("request_uri_method"));
  expect(requestUri).toBeString();
  expect(new URL(requestUri!).hash).toBe("");
  // CheckForUnexpectedParametersInVpAuthorizationEndpointHttpRequest: only client_id, request_uri, request_uri_method.
  expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri", "request_uri_method"].filter((k) => url.searchParams.has(k)).sort());

  // validateRequestObject
  expect(fetched.header.typ).toBe("oauth-authz-req+jwt");
  const claims = decodeJwt(fetched.jwt);
  const now = nowSeconds();
  if (claims.exp !== undefined) expect(claims.exp).toBeGreaterThan(now); // OIDCCValidateRequestObjectExp
  if (claims.iat !== undefined) {
    // ValidateRequestObjectIat: not in the future (5 min skew), not older than a day
    expect(claims.iat).toBeLessThanOrEqual(now + 300);
    expect(claims.iat).toBeGreaterThanOrEqual(now - 86400);
  }
  for (const numeric of ["exp", "iat", "nbf"]) if (numeric in claims) expect(claims[numeric]).not.toBeNull();
  expect(claims.request).toBeUndefined();
  expect(claims.request_uri).toBeUndefined();
  if (claims.iss !== undefined) expect(claims.iss).toBe(claims.client_id as string); // ValidateRequestObjectIssIfPresent
  expect(claims.aud === SELF_ISSUED || (Array.isArray(claims.aud) && claims.aud.includes(SELF_ISSUED))).toBe(true); // ValidateRequestObjectAudForVP
  // ValidateRequestObjectSignatureAgainstX5cHeader: leaf first, not self-signed, trust anchor not in x5c, chain to the anchor, signature by the leaf.
  const x5c = fetched.header.x5c as string[];
  expect(Array.isArray(x5c) && x5c.length > 0).toBe(true);
  const chain = x5c.map(certificateFromX5c);
  const leaf = chain[0]!;
  expect(await leaf.isSelfSigned()).toBe(false);
  expect(leaf.notBefore.getTime()).toBeLessThanOrEqual(Date.now());
  expect(leaf.notAfter.getTime()).toBeGreaterThan(Date.now());
  expect(chain.some((c) => Buffer.from(c.rawData).equals(Buffer.from(anchor.certificate.rawData)))).toBe(false);
  const top = chain[chain.length - 1]!;
  for (let i = 0; i + 1 < chain.length; i++) expect(await chain[i]!.verify({ publicKey: chain[i + 1]!.publicKey, signatureOnly: true })).toBe(true);
  expect(await top.verify({ publicKey: anchor.certificate.publicKey, signatureOnly: true })).toBe(true);
  await compactVerify(fetched.jwt, await importX509(leaf.toString("pem"), String(fetched.header.alg)));

  // client_id: URL value equals the claim (EnsureClientIdInAuthorizationRequestParametersMatchRequestObject) and is bound to the leaf.
  const clientId = fetched.payload.client_id;
  expect(urlClientId).toBe(clientId);
  const leafDer = Buffer.from(x5c[0]!, "base64");
  if (variant.clientIdPrefix === "x509_hash") {
    // ExtractAndValidateX509HashClientId: base64url (no padding) SHA-256 of the DER leaf.
    expect(clientId).toBe(`x509_hash:${new Bun.CryptoHasher("sha256").update(leafDer).digest("base64url")}`);
  } else {
    // EnsureMatchingClientId: the configured client.client_id (the DNS name) with the prefix; it is a SAN dNSName of the leaf.
    const host = TENANT_OF.x509_san_dns;
    expect(clientId).toBe(`x509_san_dns:${host}`);
    expect(sanDnsNames(leaf)).toContain(host);
    expect(new URL(fetched.payload.response_uri).hostname).toBe(host);
  }

  // validateAuthorizationEndpointRequestParameters
  const payload = fetched.payload as RequestObjectPayload & Record<string, unknown>;
  expect(payload.response_type).toBe("vp_token"); // EnsureResponseTypeIsVpToken
  expect(payload.response_mode).toBe(variant.responseMode); // ValidateResponseMode
  expect(payload.client_id_scheme).toBeUndefined(); // CheckNoClientIdSchemeParameter
  expect(payload.scope).toBeUndefined(); // CheckNoScopeParameter
  expect(payload.redirect_uri).toBeUndefined(); // CheckNoRedirectUriInVpAuthorizationRequest
  expect(payload.presentation_definition).toBeUndefined(); // CheckNoPresentationDefinitionInVpAuthorizationRequest
  expect(payload.transaction_data).toBeUndefined(); // CheckNoTransactionDataInVpAuthorizationRequest
  expect(payload.request_uri_method).toBeUndefined(); // WarnIfRequestUriMethodInRequestObject
  if (fetched.walletNonce === undefined) expect(payload.wallet_nonce).toBeUndefined(); // EnsureNoWalletNonceInRequestObject
  const responseUri = new URL(payload.response_uri); // EnsureValidResponseUriForAuthorizationEndpointRequest (https in a deployment)
  expect(responseUri.hash).toBe("");
  expect(["http:", "https:"]).toContain(responseUri.protocol);
  // ExtractNonceFromAuthorizationRequest
  expect(payload.nonce).toBeString();
  // CheckForUnexpectedParametersInVpAuthorizationRequest (a WARNING, which fails conformance/run too).
  for (const key of Object.keys(claims)) expect(KNOWN_REQUEST_PARAMETERS).toContain(key);

  // client_metadata (VP1FinalValidateVpFormatsSupportedInClientMetadata and the encryption checks)
  const metadata = payload.client_metadata as Record<string, unknown> & { jwks?: { keys: Record<string, unknown>[] }; vp_formats_supported?: Record<string, unknown> };
  expect(metadata).toBeObject();
  // VP1FinalCheckForUnexpectedParametersInVpClientMetadata (a WARNING)
  for (const key of Object.keys(metadata)) expect(["jwks", "vp_formats_supported", "encrypted_response_enc_values_supported"]).toContain(key);
  const sdJwt = metadata.vp_formats_supported?.["dc+sd-jwt"] as Record<string, unknown> | undefined;
  expect(sdJwt).toBeObject();
  for (const key of ["sd-jwt_alg_values", "kb-jwt_alg_values"]) if (sdJwt && key in sdJwt) expect(Array.isArray(sdJwt[key]) && (sdJwt[key] as unknown[]).length > 0).toBe(true);
  if (variant.responseMode === "direct_post.jwt") {
    const keys = metadata.jwks?.keys ?? [];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key.kid).toBeString(); // VP1FinalCheckForKeyIdInClientMetadataJWKs
      expect(key.alg).toBeString(); // VP1FinalValidateClientMetadataJwksForEncryptedResponse
      if (key.use !== undefined) expect(key.use).toBe("enc");
      expect(key.d).toBeUndefined(); // ValidateJwksSequence: public keys only
    }
    expect(keys.some((k) => k.kty === "EC" && k.crv === "P-256" && k.alg === "ECDH-ES")).toBe(true);
    if (variant.vpProfile === "haip") {
      // ValidateVpClientMetadataEncryptionForHaip
      expect(metadata.encrypted_response_enc_values_supported).toEqual(expect.arrayContaining(["A128GCM", "A256GCM"]));
    }
  }

  // ExtractDCQLQueryFromAuthorizationRequest, ValidateDCQLQuery, CheckDCQLQueryCredentialFormatMatchesTestConfiguration:
  // one credential query of format dc+sd-jwt whose claims are referenced.
  const dcql = payload.dcql_query;
  const mdoc = variant.credentialFormat === "iso_mdl";
  expect(dcql.credentials).toHaveLength(1);
  expect(dcql.credentials[0]!.format).toBe(mdoc ? "mso_mdoc" : "dc+sd-jwt");
  if (mdoc) expect((dcql.credentials[0]!.meta as { doctype_value?: string } | undefined)?.doctype_value).toBeString();
  else expect(((dcql.credentials[0]!.meta as { vct_values?: string[] } | undefined)?.vct_values ?? []).length).toBeGreaterThan(0);
  expect(dcql.credentials[0]!.id).toMatch(/^[A-Za-z0-9_-]+$/);
  // CheckForUnexpectedParametersInDcqlQuery (a WARNING): the suite's dcql_request.json schema allows no other properties.
  for (const key of Object.keys(dcql)) expect(["credentials", "credential_sets"]).toContain(key);
  for (const credential of dcql.credentials) {
    for (const key of Object.keys(credential)) expect(["claim_sets", "claims", "format", "id", "meta", "multiple", "require_cryptographic_holder_binding", "trusted_authorities"]).toContain(key);
    // dcql_request.json: mso_mdoc meta holds doctype_value only, and its claims may carry intent_to_retain.
    for (const key of Object.keys(credential.meta ?? {})) expect(key).toBe(mdoc ? "doctype_value" : "vct_values");
    for (const claim of credential.claims ?? []) for (const key of Object.keys(claim)) expect(["id", "path", "values", ...(mdoc ? ["intent_to_retain"] : [])]).toContain(key);
    // CheckForUnreferencedClaimsInDcqlQuery (a WARNING): with claim_sets, every claim is referenced by one.
    if (credential.claim_sets) for (const claim of credential.claims ?? []) expect(credential.claim_sets.flat()).toContain(claim.id!);
  }
  // CheckForNonSelectivelyDisclosableClaimsInDcqlQuery (a WARNING): no issuer-signed registered claims requested.
  if (!mdoc) for (const claim of dcql.credentials[0]!.claims ?? []) expect(["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "aka_vcts"]).not.toContain(claim.path[0]);
}

/** The happy-flow nonce checks: URL-safe characters, at least 16 characters, Shannon entropy above 96 bits. */
export function expectStrongNonce(nonce: string): void {
  expect(nonce).toMatch(/^[A-Za-z0-9\-_.~]+$/); // CheckForInvalidCharsInNonce
  expect(nonce.length).toBeGreaterThanOrEqual(16); // VP1FinalCheckNonceMinimumLength
  expect(shannonEntropyBits(nonce)).toBeGreaterThan(96); // VP1FinalEnsureMinimumNonceEntropy
}
