/**
 * The signed OpenID4VP request a page hands to the W3C Digital Credentials API:
 * `navigator.credentials.get({ digital: { requests: [{ protocol, data }] } })` with protocol
 * `openid4vp-v1-signed` and data `{ request: <JWS> }`. The request object carries only the
 * parameters Appendix A.2 allows (no state, response_uri or redirect_uri: the answer comes back
 * through the API call) and `expected_origins`, which a wallet compares with the Origin the
 * platform reports. Unsigned and multi-signed requests are not made: HAIP lets a verifier pick
 * one kind, and a signed one authenticates Sigil's x5c to the wallet beyond the Web PKI.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-5.2
 */
import { SignJWT } from "jose";
import { nowSeconds } from "../lib/time.ts";
import { REQUEST_OBJECT_TYP, SELF_ISSUED_AUDIENCE, clientMetadata } from "./request-object.ts";
import { isDcApiMode } from "./transaction.ts";
import type { Transaction } from "./transaction.ts";
import type { VerifierIdentity } from "./verifier-identity.ts";

/** The exchange protocol identifier of a JWS Compact signed request (Appendix A.1). */
export const DC_API_SIGNED_PROTOCOL = "openid4vp-v1-signed";

/** Appendix A.2: the request parameters usable over the DC API, plus `expected_origins`. */
export const DC_API_REQUEST_PARAMETERS: ReadonlySet<string> = new Set([
  "client_id", "response_type", "response_mode", "nonce", "client_metadata", "request", "transaction_data", "dcql_query", "verifier_info", "expected_origins",
]);
/** A request object is a JWT (RFC 9101 §4): these registered claims ride along with the parameters. */
const JWT_CLAIMS: ReadonlySet<string> = new Set(["aud", "iat", "exp", "nbf", "iss", "jti"]);

/** What the page passes to navigator.credentials.get as one of `digital.requests` (W3C DC API, DigitalCredentialGetRequest). */
export interface DcApiRequest {
  protocol: typeof DC_API_SIGNED_PROTOCOL;
  data: { request: string };
}

/**
 * Refuses a request payload with a parameter Appendix A.2 does not allow (state, response_uri,
 * redirect_uri, request_uri...), `request` inside a signed request (A.3.2), or no expected_origins.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.2
 */
export function checkDcApiRequestParameters(payload: Record<string, unknown>): void {
  const extra = Object.keys(payload).filter((name) => !DC_API_REQUEST_PARAMETERS.has(name) && !JWT_CLAIMS.has(name));
  if (extra.length > 0) throw new Error(`not a DC API request parameter: ${extra.join(", ")}`);
  if ("request" in payload) throw new Error("a signed request object cannot carry request");
  if (typeof payload.client_id !== "string" || payload.client_id.length === 0) throw new Error("a signed DC API request needs client_id");
  if (payload.response_mode !== "dc_api.jwt" && payload.response_mode !== "dc_api") throw new Error("response_mode must be dc_api.jwt or dc_api");
  if (!Array.isArray(payload.expected_origins)) throw new Error("a signed DC API request needs expected_origins");
  checkExpectedOrigins(payload.expected_origins);
}

/**
 * expected_origins: non-empty, each a bare Origin (scheme://host[:port], as a browser serializes
 * it, since wallets compare it as a plain string), https; http only for loopback hosts, the local
 * development the spec allows, which browsers also treat as a secure context.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.2
 */
export function checkExpectedOrigins(origins: readonly unknown[]): void {
  if (origins.length === 0) throw new Error("expected_origins is empty");
  for (const origin of origins) {
    if (typeof origin !== "string") throw new Error("expected_origins holds a non-string");
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`expected_origins entry ${origin} is not an origin`);
    }
    if (url.origin !== origin) throw new Error(`expected_origins entry ${origin} is not a serialized origin (no path, no trailing slash)`);
    const loopback = url.hostname === "localhost" || url.hostname.endsWith(".localhost") || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw new Error(`expected_origins entry ${origin} is not https`);
  }
}

/**
 * The signed request for a DC API transaction, with its one expected Origin. Signed like a
 * request_uri request object (typ oauth-authz-req+jwt, x5c, aud https://self-issued.me/v2, §5.8).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.3.2.1
 */
export async function createDcApiRequest(identity: VerifierIdentity, transaction: Transaction, options: { now?: number } = {}): Promise<DcApiRequest> {
  if (!isDcApiMode(transaction.response_mode) || !transaction.origin) throw new Error("not a DC API transaction");
  const now = options.now ?? nowSeconds();
  const payload: Record<string, unknown> = {
    response_type: "vp_token",
    response_mode: transaction.response_mode,
    client_id: transaction.client_id,
    nonce: transaction.nonce,
    dcql_query: transaction.dcql_query,
    client_metadata: clientMetadata(transaction, undefined),
    expected_origins: [transaction.origin],
  };
  checkDcApiRequestParameters(payload);
  const request = await new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", typ: REQUEST_OBJECT_TYP, x5c: identity.x5c })
    .setAudience(SELF_ISSUED_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(Math.max(transaction.expires_at, now + 60))
    .sign(identity.privateKey);
  return { protocol: DC_API_SIGNED_PROTOCOL, data: { request } };
}
