/**
 * Signed request objects (JAR) served at request_uri. The header carries the
 * verifier's `x5c`; the payload the DCQL query, nonce, state and the
 * transaction's own response-encryption key. `request_uri_method` is kept out
 * of the signed object (it belongs to the wallet URL only).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.10
 * @see https://openid.net/specs/openid4vc-high-assurance-interoperability-profile-1_0.html#section-5
 */
import { SignJWT } from "jose";
import { nowSeconds } from "../lib/time.ts";
import { isDcApiMode, isEncryptedMode } from "./transaction.ts";
import type { Transaction } from "./transaction.ts";
import type { VerifierIdentity } from "./verifier-identity.ts";
import { COSE_ALG_VALUES } from "./mdoc/cose-sign1.ts";

/** Static discovery audience (§5.8); never the request URI. */
export const SELF_ISSUED_AUDIENCE = "https://self-issued.me/v2";
export const REQUEST_OBJECT_TYP = "oauth-authz-req+jwt";
/** Served with this content type at request_uri (§5.10.1). */
export const REQUEST_OBJECT_CONTENT_TYPE = "application/oauth-authz-req+jwt";
export const SUPPORTED_RESPONSE_ENC = ["A128GCM", "A256GCM"] as const;

export interface RequestObjectOptions {
  /** The wallet_nonce a POST to request_uri carried; echoed only when one came. */
  walletNonce?: string;
  /** Wallet metadata from a POST to request_uri; used to narrow `enc` values the wallet cannot do. */
  walletMetadata?: Record<string, unknown>;
  now?: number;
}

/**
 * Builds and signs the request object for a transaction. Safe to call again for
 * a second fetch of request_uri: the content depends only on the transaction and the wallet's POST.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.1
 */
export async function createRequestObject(identity: VerifierIdentity, transaction: Transaction, options: RequestObjectOptions = {}): Promise<string> {
  // A DC API request goes to the wallet through the page only (createDcApiRequest): never by request_uri.
  if (isDcApiMode(transaction.response_mode)) throw new Error("a DC API transaction has no request_uri request object");
  const now = options.now ?? nowSeconds();
  const payload: Record<string, unknown> = {
    response_type: "vp_token",
    client_id: transaction.client_id,
    response_mode: transaction.response_mode,
    response_uri: transaction.response_uri,
    nonce: transaction.nonce,
    state: transaction.state,
    dcql_query: transaction.dcql_query,
    client_metadata: clientMetadata(transaction, options.walletMetadata),
  };
  if (options.walletNonce !== undefined) payload.wallet_nonce = options.walletNonce;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", typ: REQUEST_OBJECT_TYP, x5c: identity.x5c })
    .setAudience(SELF_ISSUED_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(Math.max(transaction.expires_at, now + 60))
    .sign(identity.privateKey);
}

/**
 * client_metadata: the response-encryption key (with kid and alg, never a
 * signing key) and the formats the verifier accepts.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.1
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3
 */
export function clientMetadata(transaction: Transaction, walletMetadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    vp_formats_supported: {
      "dc+sd-jwt": { "sd-jwt_alg_values": ["ES256"], "kb-jwt_alg_values": ["ES256"] },
      // Appendix B.2.2: COSE algorithm identifiers; ES256, ES384, ES512 (mdoc/cose-sign1.ts), deviceSignature only (no deviceMac).
      mso_mdoc: { issuerauth_alg_values: [...COSE_ALG_VALUES], deviceauth_alg_values: [...COSE_ALG_VALUES] },
    },
  };
  if (isEncryptedMode(transaction.response_mode)) {
    const { kid, public_jwk } = transaction.response_key;
    metadata.jwks = { keys: [{ kty: public_jwk.kty, crv: public_jwk.crv, x: public_jwk.x, y: public_jwk.y, kid, use: "enc", alg: "ECDH-ES" }] };
    metadata.encrypted_response_enc_values_supported = narrowEnc(walletMetadata);
  }
  return metadata;
}

/** Offer only the enc values the wallet says it can do, unless that leaves nothing (then offer all and let it fail loudly). */
function narrowEnc(walletMetadata: Record<string, unknown> | undefined): string[] {
  const walletEnc = walletMetadata?.authorization_encryption_enc_values_supported;
  if (!Array.isArray(walletEnc)) return [...SUPPORTED_RESPONSE_ENC];
  const common = SUPPORTED_RESPONSE_ENC.filter((enc) => walletEnc.includes(enc));
  return common.length > 0 ? common : [...SUPPORTED_RESPONSE_ENC];
}

export interface RequestUriPost {
  walletNonce?: string;
  walletMetadata?: Record<string, unknown>;
}

/**
 * Reads a wallet's POST to request_uri. Either field may be missing, and some
 * wallets put metadata fields loose at the top level: accept all of it, ignore
 * what is unknown, never fail the fetch over metadata.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.10
 */
export function parseRequestUriPost(form: URLSearchParams): RequestUriPost {
  const result: RequestUriPost = {};
  const nonce = form.get("wallet_nonce");
  if (nonce && /^[\x21-\x7E]{1,512}$/.test(nonce)) result.walletNonce = nonce;
  const raw = form.get("wallet_metadata");
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) result.walletMetadata = parsed as Record<string, unknown>;
    } catch {
      // Unreadable metadata is ignored rather than fatal: the wallet can still answer with defaults.
    }
  } else if (form.has("authorization_encryption_enc_values_supported")) {
    try {
      result.walletMetadata = { authorization_encryption_enc_values_supported: JSON.parse(form.get("authorization_encryption_enc_values_supported")!) };
    } catch {
      // ignored, as above
    }
  }
  return result;
}
