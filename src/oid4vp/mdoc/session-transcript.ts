/**
 * The SessionTranscript an mdoc's DeviceAuthentication signs, computed by the verifier from its own
 * stored transaction, never taken from the wallet: [null, null, Handover] (ISO/IEC 18013-5 §9.1.5.1
 * with DeviceEngagementBytes and EReaderKeyBytes null). Redirect flows (direct_post, direct_post.jwt)
 * use OpenID4VPHandover over [client_id, nonce, jwkThumbprint, response_uri]; the Digital Credentials
 * API (dc_api, dc_api.jwt) uses OpenID4VPDCAPIHandover over [origin, nonce, jwkThumbprint]. The
 * thumbprint (RFC 7638, SHA-256, as a byte string) is that of the response-encryption key when the
 * response is encrypted, else null.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.6.1
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.6.2
 */
import { createHash } from "node:crypto";
import type { JWK } from "jose";
import type { Transaction } from "../transaction.ts";
import { ecJwkThumbprint } from "../ec-crypto.ts";
import { CBOR_NULL, concatCbor } from "./cbor.ts";

type TranscriptInput = Pick<Transaction, "client_id" | "nonce" | "response_mode" | "response_uri" | "origin"> & { response_key: { public_jwk: JWK } };

/** RFC 7638 SHA-256 thumbprint bytes of the response-encryption public key. */
async function thumbprintBytes(jwk: JWK): Promise<Uint8Array> {
  return new Uint8Array(ecJwkThumbprint(jwk));
}

/** The CBOR structure `OpenID4VPHandover` or `OpenID4VPDCAPIHandover` for this transaction. */
export async function mdocHandover(transaction: TranscriptInput): Promise<[string, Uint8Array]> {
  const mode = transaction.response_mode;
  const encrypted = mode === "direct_post.jwt" || mode === "dc_api.jwt";
  const thumbprint = encrypted ? await thumbprintBytes(transaction.response_key.public_jwk) : null;
  if (mode === "dc_api" || mode === "dc_api.jwt") {
    // The origin comes from the transaction the verifier made, never from the wallet's answer.
    if (!transaction.origin) throw new Error("a dc_api transaction has no origin");
    const info = concatCbor([{ arrayOf: 3 }, { text: transaction.origin }, { text: transaction.nonce }, thumbprint ? { bytes: thumbprint } : CBOR_NULL]);
    return ["OpenID4VPDCAPIHandover", sha256(info)];
  }
  const info = concatCbor([{ arrayOf: 4 }, { text: transaction.client_id }, { text: transaction.nonce }, thumbprint ? { bytes: thumbprint } : CBOR_NULL, { text: transaction.response_uri }]);
  return ["OpenID4VPHandover", sha256(info)];
}

/**
 * The CBOR-encoded SessionTranscript for the transaction.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.6
 */
export async function mdocSessionTranscript(transaction: TranscriptInput): Promise<Uint8Array> {
  const [name, hash] = await mdocHandover(transaction);
  return concatCbor([{ arrayOf: 3 }, CBOR_NULL, CBOR_NULL, { arrayOf: 2 }, { text: name }, { bytes: hash }]);
}

/** The SessionTranscript as a CBOR value, for embedding in DeviceAuthentication. */
export async function mdocSessionTranscriptValue(transaction: TranscriptInput): Promise<[null, null, [string, Uint8Array]]> {
  return [null, null, await mdocHandover(transaction)];
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}
