// The offline battery's OID4VP part: a real Sigil set up the way conformance/setup sets it up for
// the oid4vp-1final verifier plans (a trust anchor for the PID issuer, an access certificate under
// a CA the suite is given as client.request_object_trust_anchor_pem, the client_id prefix of the
// plan variant), the test wallet standing in for the suite's mock wallet, and the request checks
// the suite's AbstractVP1FinalVerifierTest applies in every module (validateRequestObject,
// validateAuthorizationEndpointRequestParameters, validateDirectPostEndpointResponse), written
// against the specifications they cite (OpenID4VP 1.0 §5, §5.8-5.10, §8.2-8.3; HAIP 1.0 §5).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompactEncrypt, SignJWT, compactVerify, decodeJwt, importJWK, importX509, type JWK } from "jose";
import { certificateFromX5c, sanDnsNames, x509 } from "../../src/oid4vp/x509.ts";
import { provision, type Provisioned } from "../../test/support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "../../test/support/sigil.ts";
import { fetchRequestObject, type FetchedRequest, type RequestObjectPayload } from "../../test/support/wallet/fetch-request-object.ts";
import { createTestCa, issueLeaf, type TestCa } from "../../test/support/wallet/test-pki.ts";
import { createTestIssuer, type TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { buildVpToken, createTestWallet, presentToVerifier, type PresentOptions, type PresentResult, type TestWallet } from "../../test/support/wallet/wallet.ts";
import { shannonEntropyBits } from "./support.ts";

export type ClientIdPrefix = "x509_hash" | "x509_san_dns";
export type ResponseMode = "direct_post" | "direct_post.jwt";

/** One plan/variant combination Sigil runs (conformance/plans/oid4vp-*.json). */
export interface VerifierVariant {
  plan: "oid4vp-1final-verifier-test-plan" | "oid4vp-1final-verifier-haip-test-plan";
  vpProfile: "plain_vp" | "haip";
  clientIdPrefix: ClientIdPrefix;
  responseMode: ResponseMode;
}

/** credential_format=sd_jwt_vc, request_method=request_uri_signed throughout. */
export const VARIANTS: readonly VerifierVariant[] = [
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_hash", responseMode: "direct_post.jwt" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_hash", responseMode: "direct_post" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_san_dns", responseMode: "direct_post.jwt" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_san_dns", responseMode: "direct_post" },
  { plan: "oid4vp-1final-verifier-haip-test-plan", vpProfile: "haip", clientIdPrefix: "x509_hash", responseMode: "direct_post.jwt" },
];

export const variantName = (v: VerifierVariant) => `${v.vpProfile === "haip" ? "haip" : "plain_vp"}, ${v.clientIdPrefix}, ${v.responseMode}`;

/** The tenant whose verifier policy carries each client_id prefix. */
const TENANT_OF: Record<ClientIdPrefix, string> = { x509_hash: "localhost", x509_san_dns: "san.localhost" };

interface Template {
  dir: string;
  issuer: TestIssuer;
  accessCa: TestCa;
  tenants: Record<ClientIdPrefix, Provisioned>;
}

const TEMPLATE_KEY = Symbol.for("sigil.conformance.offline.oid4vp-template");
type Holder = { [TEMPLATE_KEY]?: Promise<Template> };

const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END ${label}-----\n`;

/**
 * Once per test process, through the real CLI, what conformance/setup does for the verifier plans:
 * two tenants (localhost with client_id prefix x509_hash, san.localhost with x509_san_dns), each
 * trusting the PID issuer's CA (`trust add`), each with an access certificate issued by a CA that
 * is not in x5c (`verifier set-cert`; the suite refuses a self-signed leaf), and the policy
 * (`verifier set --client-id-prefix`).
 */
function template(): Promise<Template> {
  const holder = globalThis as Holder;
  holder[TEMPLATE_KEY] ??= (async () => {
    const issuer = await createTestIssuer({ caName: "CN=Conformance offline PID Issuer CA" });
    const accessCa = await createTestCa("CN=Conformance offline Access CA");
    const server = await startSigil();
    try {
      const tenants = {} as Record<ClientIdPrefix, Provisioned>;
      await Promise.all((["x509_hash", "x509_san_dns"] as const).map(async (prefix) => {
        const host = TENANT_OF[prefix];
        tenants[prefix] = await provision(server, host);
        const leaf = await issueLeaf(accessCa, { subject: `CN=${host}`, dnsNames: [host] });
        const dir = mkdtempSync(join(tmpdir(), "sigil-oid4vp-cert-"));
        try {
          await Bun.write(join(dir, "chain.pem"), leaf.certificate.toString("pem") + "\n");
          await Bun.write(join(dir, "key.pem"), pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", leaf.keys.privateKey)));
          await Promise.all([
            server.cliOk(["verifier", "set-cert", host, "--cert", join(dir, "chain.pem"), "--key", join(dir, "key.pem")]),
            server.cliOk(["trust", "add", host, `--cert=${issuer.ca.pem}`]),
          ]);
          await server.cliOk(["verifier", "set", host, "--client-id-prefix", prefix]);
        } finally {
          removeDataDir(dir);
        }
      }));
      await server.stop();
      return { dir: server.dataDir, issuer, accessCa, tenants };
    } catch (error) {
      await server.stop("SIGKILL");
      removeDataDir(server.dataDir);
      throw error;
    }
  })();
  return holder[TEMPLATE_KEY];
}

/** Fetch for absolute URLs Sigil hands out (http://HOST:PORT/...): sent to 127.0.0.1 with that Host. */
function hostFetch(port: number) {
  return (url: string, init: RequestInit = {}) => {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    headers.set("host", target.host);
    return fetch(`http://127.0.0.1:${port}${target.pathname}${target.search}`, { redirect: "manual", ...init, headers });
  };
}

export interface Started {
  transactionId: string;
  walletUrl: string;
  requestUri: string;
  variant: VerifierVariant;
}

export interface Verifier {
  server: SigilServer;
  issuer: TestIssuer;
  wallet: TestWallet;
  accessCa: TestCa;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Starts a presentation the way a relying party does (POST /oid4vp/v1/presentations), in the variant's tenant and response mode. */
  start(variant: VerifierVariant): Promise<Started>;
  /** The relying party's view of the transaction (GET /oid4vp/v1/presentations/{id}). */
  status(started: Started): Promise<{ status: string; error?: string; claims?: Record<string, Record<string, unknown>> }>;
  present(started: Started | FetchedRequest, options?: Omit<PresentOptions, "fetch">): Promise<PresentResult>;
  stop(): Promise<void>;
}

/** A fresh Sigil on a copy of the provisioned data directory, and a fresh holder. */
export async function startVerifier(): Promise<Verifier> {
  const t = await template();
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-oid4vp-"));
  cpSync(t.dir, dataDir, { recursive: true });
  const server = await startSigil({ dataDir });
  const wallet = await createTestWallet(t.issuer);
  const fetchFn = hostFetch(server.port);
  const basic = (p: Provisioned) => `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;
  return {
    server,
    issuer: t.issuer,
    wallet,
    accessCa: t.accessCa,
    fetch: fetchFn,
    async start(variant) {
      const p = t.tenants[variant.clientIdPrefix];
      const response = await server.fetch("/oid4vp/v1/presentations", {
        host: p.host, method: "POST", headers: { authorization: basic(p), "content-type": "application/json" },
        body: JSON.stringify({ response_mode: variant.responseMode }),
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { transaction_id: string; wallet_url: string; request_uri: string };
      return { transactionId: body.transaction_id, walletUrl: body.wallet_url, requestUri: body.request_uri, variant };
    },
    async status(started) {
      const p = t.tenants[started.variant.clientIdPrefix];
      const response = await server.fetch(`/oid4vp/v1/presentations/${started.transactionId}`, { host: p.host, headers: { authorization: basic(p) } });
      expect(response.status).toBe(200);
      return (await response.json()) as { status: string; error?: string };
    },
    present(started, options = {}) {
      const target = "walletUrl" in started ? started.walletUrl : started.jwt;
      return presentToVerifier(wallet, target, { ...options, fetch: fetchFn });
    },
    async stop() {
      await server.stop();
      removeDataDir(dataDir);
    },
  };
}

const SELF_ISSUED = "https://self-issued.me/v2";
/** The suite's CheckForUnexpectedParametersInVpAuthorizationRequest list (request parameters and JWT claims). */
const KNOWN_REQUEST_PARAMETERS = [
  "presentation_definition", "dcql_query", "client_id", "client_id_scheme", "response_uri", "client_metadata", "nonce", "state", "response_type",
  "response_mode", "verifier_info", "scope", "request_uri_method", "wallet_nonce", "aud", "iss", "iat", "nbf", "exp", "jti",
];
const nowSeconds = () => Math.floor(Date.now() / 1000);

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
  expect(dcql.credentials).toHaveLength(1);
  expect(dcql.credentials[0]!.format).toBe("dc+sd-jwt");
  expect(((dcql.credentials[0]!.meta as { vct_values?: string[] } | undefined)?.vct_values ?? []).length).toBeGreaterThan(0);
  expect(dcql.credentials[0]!.id).toMatch(/^[A-Za-z0-9_-]+$/);
  // CheckForUnexpectedParametersInDcqlQuery (a WARNING): the suite's dcql_request.json schema allows no other properties.
  for (const key of Object.keys(dcql)) expect(["credentials", "credential_sets"]).toContain(key);
  for (const credential of dcql.credentials) {
    for (const key of Object.keys(credential)) expect(["claim_sets", "claims", "format", "id", "meta", "multiple", "require_cryptographic_holder_binding", "trusted_authorities"]).toContain(key);
    for (const key of Object.keys(credential.meta ?? {})) expect(key).toBe("vct_values");
    for (const claim of credential.claims ?? []) for (const key of Object.keys(claim)) expect(["id", "path", "values"]).toContain(key);
    // CheckForUnreferencedClaimsInDcqlQuery (a WARNING): with claim_sets, every claim is referenced by one.
    if (credential.claim_sets) for (const claim of credential.claims ?? []) expect(credential.claim_sets.flat()).toContain(claim.id!);
  }
  // CheckForNonSelectivelyDisclosableClaimsInDcqlQuery (a WARNING): no issuer-signed registered claims requested.
  for (const claim of dcql.credentials[0]!.claims ?? []) expect(["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "aka_vcts"]).not.toContain(claim.path[0]);
}

/** The happy-flow nonce checks: URL-safe characters, at least 16 characters, Shannon entropy above 96 bits. */
export function expectStrongNonce(nonce: string): void {
  expect(nonce).toMatch(/^[A-Za-z0-9\-_.~]+$/); // CheckForInvalidCharsInNonce
  expect(nonce.length).toBeGreaterThanOrEqual(16); // VP1FinalCheckNonceMinimumLength
  expect(shannonEntropyBits(nonce)).toBeGreaterThan(96); // VP1FinalEnsureMinimumNonceEntropy
}

/** Fetches the request object as the suite's wallet does for the variant (GET unless the module is the POST one). */
export async function fetchRequest(verifier: Verifier, started: Started, options: { forceGet?: boolean } = {}): Promise<FetchedRequest> {
  return fetchRequestObject(started.walletUrl, verifier.fetch, { forceGet: options.forceGet ?? true });
}

/** validateDirectPostEndpointResponse for an accepted presentation: 200, JSON, `{}` or a non-empty redirect_uri. */
export function expectAccepted(result: PresentResult): void {
  expect(result.status).toBe(200); // EnsureHttpStatusCodeIs200
  expect(result.response).toBeObject(); // EnsureContentTypeJson / ValidateDirectPostResponse
  const body = result.response as Record<string, unknown>;
  expect(Object.keys(body).filter((key) => key !== "redirect_uri")).toEqual([]); // ValidateDirectPostResponse: {} or only redirect_uri
  if ("redirect_uri" in body) expect(typeof body.redirect_uri === "string" && body.redirect_uri.length > 0).toBe(true); // ValidateDirectPostResponseRedirectUriWhenPresent
}

/** A negative module passes at once on a 4xx; the transaction must then be failed, not verified. */
export async function expectRejected(verifier: Verifier, started: Started, result: PresentResult): Promise<void> {
  expect(result.status).toBeGreaterThanOrEqual(400);
  expect(result.status).toBeLessThan(500);
  expect(result.response).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
  const after = await verifier.status(started);
  expect(after.status).toBe("failed");
  expect(after.claims).toBeUndefined();
}

/** The relying party sees the verified PID claims once the wallet's answer was accepted. */
export async function expectVerified(verifier: Verifier, started: Started): Promise<void> {
  const after = await verifier.status(started);
  expect(after.status).toBe("verified");
  expect(after.claims?.[Object.keys(after.claims ?? {})[0]!]?.family_name).toBe("Mustermann");
}

/** An x509 certificate helper re-exported for tests that inspect credentials. */
export { x509 };

/**
 * Answers with a Key Binding JWT the test signs itself (the holder's key, the request's nonce and
 * client_id unless overridden), for the modules whose KB change no wallet switch makes exactly
 * (the suite's invalid aud is the client_id with "INVALID" appended).
 */
export async function presentWithCustomKb(verifier: Verifier, fetched: FetchedRequest, kb: { aud?: string; nonce?: string; iat?: number }): Promise<PresentResult> {
  const request = fetched.payload;
  const bare = await buildVpToken(verifier.wallet, request, { switches: ["missingKbJwt"] });
  const vpToken: Record<string, string[]> = {};
  for (const [id, presentations] of Object.entries(bare)) {
    vpToken[id] = await Promise.all(presentations.map(async (presented) => {
      const sdHash = new Bun.CryptoHasher("sha256").update(presented).digest("base64url");
      const jwt = await new SignJWT({ iat: kb.iat ?? nowSeconds(), aud: kb.aud ?? request.client_id, nonce: kb.nonce ?? request.nonce, sd_hash: sdHash })
        .setProtectedHeader({ alg: "ES256", typ: "kb+jwt" })
        .sign(verifier.wallet.holderKeys.privateKey);
      return presented + jwt;
    }));
  }
  let body: URLSearchParams;
  if (request.response_mode === "direct_post") {
    body = new URLSearchParams({ vp_token: JSON.stringify(vpToken), ...(request.state ? { state: request.state } : {}) });
  } else {
    const jwk = request.client_metadata!.jwks!.keys.find((k) => k.alg === "ECDH-ES")!;
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ vp_token: vpToken, state: request.state })))
      .setProtectedHeader({ alg: "ECDH-ES", enc: "A128GCM", kid: jwk.kid as string })
      .encrypt(await importJWK(jwk as JWK, "ECDH-ES"));
    body = new URLSearchParams({ response: jwe });
  }
  const answer = await verifier.fetch(request.response_uri, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const text = await answer.text();
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { request: fetched, body, status: answer.status, response };
}

/** One way of answering a request wrongly. */
export type NegativeCase = [what: string, answer: (verifier: Verifier, fetched: FetchedRequest) => Promise<PresentResult>];

/**
 * A negative module: for every variant and case, the request passes the request checks, and the
 * answer is refused with a 4xx (the suite's immediate pass) and the transaction ends as failed.
 */
export function negativeModule(...cases: NegativeCase[]): void {
  negativeModuleWithControl(null, ...cases);
}

/**
 * As negativeModule, with a positive control first: `control` builds the same kind of answer
 * without the defect and must be accepted, so a refusal is known to be about the defect alone.
 */
export function negativeModuleWithControl(control: NegativeCase | null, ...cases: NegativeCase[]): void {
  let verifier: Verifier;
  beforeAll(async () => {
    verifier = await startVerifier();
  });
  afterAll(() => verifier.stop());
  for (const variant of VARIANTS) {
    if (control) {
      test(`${variant.plan} [${variantName(variant)}]: control: ${control[0]} is accepted`, async () => {
        const started = await verifier.start(variant);
        const result = await control[1](verifier, await fetchRequest(verifier, started));
        expectAccepted(result);
        await expectVerified(verifier, started);
      });
    }
    for (const [what, answer] of cases) {
      test(`${variant.plan} [${variantName(variant)}]: ${what} is refused with a 4xx and the transaction fails`, async () => {
        const started = await verifier.start(variant);
        const fetched = await fetchRequest(verifier, started);
        await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
        const result = await answer(verifier, fetched);
        await expectRejected(verifier, started, result);
      });
    }
  }
}
