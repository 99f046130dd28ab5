/**
 * The test wallet behind the W3C Digital Credentials API: what a platform wallet does with the
 * `digital.requests` a page passed to navigator.credentials.get and the Origin the platform saw.
 * Shaped after OpenID4VP 1.0 Appendix A (A.1 protocol identifiers, A.2 request parameters and
 * expected_origins, A.3 signed and unsigned requests, A.4 the response in DigitalCredential.data
 * and the `origin:` audience) and the W3C Digital Credentials draft (DigitalCredentialGetRequest
 * {protocol, data}; DigitalCredential {protocol, data}). Written independently of src/oid4vp.
 */
import { CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK, importX509 } from "jose";
import type { JWK } from "jose";
import type { RequestObjectPayload } from "./fetch-request-object.ts";
import { buildVpToken, type PresentOptions, type TestWallet } from "./wallet.ts";

/** W3C DC API DigitalCredentialGetRequest. */
export interface DigitalCredentialGetRequest {
  protocol: string;
  data: Record<string, unknown>;
}

/** What navigator.credentials.get resolves with (the members of a W3C DigitalCredential the page reads). */
export interface DigitalCredentialAnswer {
  protocol: string;
  data: Record<string, unknown>;
}

export interface DcApiAnswerOptions extends Omit<PresentOptions, "fetch" | "audience"> {
  /**
   * A wallet that breaks A.2: it answers although the Origin is not in expected_origins (it must
   * refuse), binding the presentation to the Origin the platform gave it, as A.4 says.
   */
  ignoreExpectedOrigins?: boolean;
}

/** A.1: the protocols this wallet speaks, in its order of preference. */
const PROTOCOLS = ["openid4vp-v1-signed", "openid4vp-v1-unsigned"];

/**
 * Answers the first request in a protocol it speaks. A request it will not serve (wrong origin,
 * bad signature, not OpenID4VP over the DC API) comes back as `data: { error }` (A.4), which the
 * API delivers as a fulfilled promise; no request it speaks rejects, as the platform does then.
 */
export async function answerDcApiRequests(wallet: TestWallet, requests: readonly DigitalCredentialGetRequest[], origin: string, options: DcApiAnswerOptions = {}): Promise<DigitalCredentialAnswer> {
  const chosen = PROTOCOLS.map((protocol) => requests.find((r) => r.protocol === protocol)).find((r) => r !== undefined);
  if (!chosen) throw new Error("NotSupportedError: no request in a protocol this wallet speaks");
  const refuse = (error: string) => ({ protocol: chosen.protocol, data: { error } });
  let payload: RequestObjectPayload;
  if (chosen.protocol === "openid4vp-v1-signed") {
    const verified = await verifySignedRequest(chosen.data);
    if (!verified) return refuse("invalid_request_object");
    payload = verified;
    // A.2: a signed request carries expected_origins, compared as plain strings with the platform's Origin.
    const expected = payload.expected_origins;
    if (!Array.isArray(expected) || expected.length === 0) return refuse("invalid_request");
    if (!expected.includes(origin) && !options.ignoreExpectedOrigins) return refuse("invalid_request");
  } else {
    // A.3.1: the parameters are the data itself; client_id and expected_origins are ignored.
    const { client_id: _ignored, expected_origins: _alsoIgnored, ...rest } = chosen.data;
    payload = { ...rest, client_id: `origin:${origin}` } as unknown as RequestObjectPayload;
  }
  if (payload.response_type !== "vp_token") return refuse("unsupported_response_type");
  if (payload.response_mode !== "dc_api" && payload.response_mode !== "dc_api.jwt") return refuse("invalid_request");
  // A.4: the audience is the Origin, prefixed with origin:, even for signed requests.
  const vpToken = await buildVpToken(wallet, payload, { ...options, audience: `origin:${origin}` });
  if (payload.response_mode === "dc_api") return { protocol: chosen.protocol, data: { vp_token: vpToken } };
  return { protocol: chosen.protocol, data: { response: await encryptTo(payload, { vp_token: vpToken }) } };
}

/** A.3.2.1 and §5.9.3: a JWS Compact request object signed by the x5c leaf, whose x509_hash client_id names that leaf. */
async function verifySignedRequest(data: Record<string, unknown>): Promise<RequestObjectPayload | null> {
  const jws = data.request;
  if (typeof jws !== "string") return null;
  try {
    const header = decodeProtectedHeader(jws) as Record<string, unknown>;
    const x5c = header.x5c;
    if (header.typ !== "oauth-authz-req+jwt" || header.alg !== "ES256" || !Array.isArray(x5c) || typeof x5c[0] !== "string") return null;
    const leaf = await importX509(`-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`, "ES256");
    const payload = JSON.parse(new TextDecoder().decode((await compactVerify(jws, leaf)).payload)) as RequestObjectPayload;
    const hash = new Bun.CryptoHasher("sha256").update(Buffer.from(x5c[0], "base64")).digest("base64url");
    if (payload.client_id !== `x509_hash:${hash}`) return null;
    if (payload.aud !== "https://self-issued.me/v2" || "request" in payload) return null;
    return payload;
  } catch {
    return null;
  }
}

/** §8.3: an unsigned JWE to a `use: enc` (or use-less) key of client_metadata, with its alg and kid, enc from the offered values (default A128GCM). */
async function encryptTo(payload: RequestObjectPayload, response: Record<string, unknown>): Promise<string> {
  const jwk = payload.client_metadata?.jwks?.keys.find((k) => k.use === undefined || k.use === "enc");
  if (!jwk || typeof jwk.alg !== "string") throw new Error("the request offers no encryption key with an alg");
  const enc = payload.client_metadata?.encrypted_response_enc_values_supported?.[0] ?? "A128GCM";
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(response)))
    .setProtectedHeader({ alg: jwk.alg, enc, ...(typeof jwk.kid === "string" ? { kid: jwk.kid } : {}) })
    .encrypt(await importJWK(jwk as JWK, jwk.alg));
}
