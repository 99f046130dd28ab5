/**
 * Reads the wallet's POST to response_uri into `{ vp_token, state }`, in two
 * steps so that the caller ends a transaction only on an answer that is its own:
 * `openResponse` decrypts with the transaction's key and checks its `state`
 * (junk, or a response to another transaction, fails here and ends nothing);
 * `readVpToken` then reads the answer (a wallet's error, or the vp_token).
 * direct_post.jwt: only `response=<JWE>`, ECDH-ES on the transaction's own
 * key (matched by `kid`, never by trying other keys), enc A128GCM or A256GCM.
 * A cleartext vp_token is refused when encryption was asked for; a cleartext
 * `error` is accepted from a wallet that cannot encrypt, with the right state.
 * DC API (dc_api.jwt, dc_api): the page posts what navigator.credentials.get returned: `protocol`
 * (the DigitalCredential's, which must be the signed protocol Sigil asked with) and the members of
 * its `data`. There is no state (Appendix A.2): the transaction's key, nonce and origin bind it.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.4
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.2
 */
import { decodeProtectedHeader } from "jose";
import type { CompactJWEHeaderParameters } from "jose";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { PresentationError } from "./presentation-error.ts";
import { JweError, decryptEcdhEs } from "./decrypt-ecdh-es.ts";
import { DC_API_SIGNED_PROTOCOL } from "./dc-api-request.ts";
import { SUPPORTED_RESPONSE_ENC } from "./request-object.ts";
import { isDcApiMode } from "./transaction.ts";
import type { Transaction } from "./transaction.ts";

/** vp_token of OpenID4VP 1.0: credential query id → presentations (§8.1). */
export type VpToken = Record<string, string[]>;

export interface AuthorizationResponse {
  vp_token: VpToken;
  /** Absent over the DC API, which has no state. */
  state?: string;
}

export type ResponseBody = URLSearchParams | Record<string, string | undefined>;

/**
 * What the caller can use to find the transaction before decrypting, all of it
 * unauthenticated: the JWE header `kid` (each transaction has its own key) or a
 * cleartext `state`. A per-transaction response_uri path makes this unnecessary.
 * Whatever is found, decryptResponse still checks kid and state against it.
 */
export function responseLookupKey(body: ResponseBody): { kid?: string; state?: string } {
  const field = (name: string): string | undefined => (body instanceof URLSearchParams ? (body.get(name) ?? undefined) : body[name]);
  const jwe = field("response");
  if (jwe !== undefined) {
    try {
      const kid = decodeProtectedHeader(jwe).kid;
      return typeof kid === "string" ? { kid } : {};
    } catch {
      return {};
    }
  }
  const state = field("state");
  return state !== undefined ? { state } : {};
}

/**
 * A response known to be this transaction's: decrypted with its key (direct_post.jwt) and carrying
 * its state. Either the wallet's error or a vp_token still to be read (`readVpToken`).
 */
export type OpenedResponse = { state?: string; vpToken: unknown } | { state?: string; error: string; errorDescription?: string };

/**
 * Decrypts (or reads) the POST and checks its state; throws a PresentationError for anything that
 * is not provably this transaction's answer, which must then leave the transaction as it was.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3.1
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.3.2
 */
export async function openResponse(transaction: Transaction, body: ResponseBody): Promise<OpenedResponse> {
  const field = (name: string): string | undefined => (body instanceof URLSearchParams ? (body.get(name) ?? undefined) : body[name]);
  const jwe = field("response");
  if (isDcApiMode(transaction.response_mode)) return openDcApiResponse(transaction, field);
  if (transaction.response_mode === "direct_post.jwt") {
    if (jwe === undefined) {
      if (field("vp_token") !== undefined) throw new PresentationError("response_cleartext", "this transaction requires an encrypted response");
      const error = field("error");
      if (error !== undefined) return opened(transaction, field("state"), { error, errorDescription: field("error_description") });
      throw new PresentationError("response_format", "the response parameter is missing");
    }
    const payload = await decryptJwe(transaction, jwe);
    const error = stringOrUndefined(payload.error);
    if (error !== undefined) return opened(transaction, payload.state, { error, errorDescription: stringOrUndefined(payload.error_description) });
    return opened(transaction, payload.state, { vpToken: payload.vp_token });
  }
  if (jwe !== undefined) throw new PresentationError("response_format", "this transaction expects a direct_post response, not a JWE");
  const error = field("error");
  if (error !== undefined) return opened(transaction, field("state"), { error, errorDescription: field("error_description") });
  const raw = field("vp_token");
  if (raw === undefined) throw new PresentationError("vp_token_format", "vp_token is missing");
  return opened(transaction, field("state"), { vpToken: raw });
}

/**
 * The vp_token of an opened response; the wallet's error becomes a PresentationError. The form
 * encoding (direct_post) carries it as JSON text, the encrypted payload as an object.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.1
 */
export function readVpToken(response: OpenedResponse): VpToken {
  if ("error" in response) throwIfWalletError(response.error, response.errorDescription);
  let vpToken = (response as { vpToken: unknown }).vpToken;
  if (typeof vpToken === "string") {
    try {
      vpToken = JSON.parse(vpToken);
    } catch {
      throw new PresentationError("vp_token_format", "vp_token is not JSON");
    }
  }
  return readResponse(vpToken);
}

/** Both steps at once, for a caller that ends the transaction whatever the answer. @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3.1 */
export async function decryptResponse(transaction: Transaction, body: ResponseBody): Promise<AuthorizationResponse> {
  const response = await openResponse(transaction, body);
  return { vp_token: readVpToken(response), state: response.state };
}

/**
 * The DigitalCredential the page posts. Its protocol is the one the platform ran: anything but the
 * signed request Sigil made means the request was swapped on the way (an unsigned one carries no
 * proof of Sigil to the wallet), so the answer is refused.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.4
 */
async function openDcApiResponse(transaction: Transaction, field: (name: string) => string | undefined): Promise<OpenedResponse> {
  const protocol = field("protocol");
  if (protocol !== DC_API_SIGNED_PROTOCOL) {
    throw new PresentationError("dc_api_protocol", `the answer is to a ${protocol === undefined ? "request of no named protocol" : `${protocol.slice(0, 64)} request`}, not the signed request this transaction made`);
  }
  const jwe = field("response");
  const error = field("error");
  if (transaction.response_mode === "dc_api.jwt") {
    if (jwe === undefined) {
      if (field("vp_token") !== undefined) throw new PresentationError("response_cleartext", "this transaction requires an encrypted response");
      // A wallet's protocol error comes back in the clear (Appendix A.4): it ends the transaction as declined.
      if (error !== undefined) return { error, errorDescription: field("error_description") };
      throw new PresentationError("response_format", "the response parameter is missing");
    }
    const payload = await decryptJwe(transaction, jwe);
    const inner = stringOrUndefined(payload.error);
    if (inner !== undefined) return { error: inner, errorDescription: stringOrUndefined(payload.error_description) };
    return { vpToken: payload.vp_token };
  }
  if (jwe !== undefined) throw new PresentationError("response_format", "this transaction expects an unencrypted dc_api response, not a JWE");
  if (error !== undefined) return { error, errorDescription: field("error_description") };
  const raw = field("vp_token");
  if (raw === undefined) throw new PresentationError("vp_token_format", "vp_token is missing");
  return { vpToken: raw };
}

function opened<T extends object>(transaction: Transaction, state: unknown, rest: T): T & { state: string } {
  // §14.3.2: state binds the response to this transaction.
  if (typeof state !== "string" || !constantTimeEqual(state, transaction.state)) throw new PresentationError("state", "state does not match the transaction");
  return { ...rest, state };
}

async function decryptJwe(transaction: Transaction, jwe: string): Promise<Record<string, unknown>> {
  let header: CompactJWEHeaderParameters;
  try {
    header = decodeProtectedHeader(jwe) as CompactJWEHeaderParameters;
  } catch {
    throw new PresentationError("response_format", "the response is not a compact JWE");
  }
  if (jwe.split(".").length !== 5) throw new PresentationError("response_format", "the response is not a compact JWE");
  // Pinned explicitly: a JWE is decrypted only as what this transaction asked for.
  if (header.alg !== "ECDH-ES") throw new PresentationError("response_alg", `JWE alg ${String(header.alg)} is not ECDH-ES`);
  if (!(SUPPORTED_RESPONSE_ENC as readonly string[]).includes(String(header.enc))) {
    throw new PresentationError("response_alg", `JWE enc ${String(header.enc)} is not A128GCM or A256GCM`);
  }
  if (header.kid !== transaction.response_key.kid) throw new PresentationError("response_key", "the response is not encrypted to this transaction's key");
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = decryptEcdhEs(jwe, transaction.response_key.private_jwk, SUPPORTED_RESPONSE_ENC));
  } catch (error) {
    if (error instanceof JweError && error.reason === "alg") throw new PresentationError("response_alg", error.message);
    throw new PresentationError("response_decrypt", "the response could not be decrypted with this transaction's key", { internal: error instanceof Error ? error.message : String(error) });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    throw new PresentationError("response_format", "the decrypted response is not JSON");
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw new PresentationError("response_format", "the decrypted response is not a JSON object");
  return payload as Record<string, unknown>;
}

function readResponse(vpToken: unknown): VpToken {
  if (!vpToken || typeof vpToken !== "object" || Array.isArray(vpToken)) throw new PresentationError("vp_token_format", "vp_token must be a JSON object keyed by credential query id");
  const result: VpToken = {};
  for (const [id, presentations] of Object.entries(vpToken)) {
    if (!Array.isArray(presentations) || presentations.length === 0 || !presentations.every((p) => typeof p === "string" && p.length > 0)) {
      throw new PresentationError("vp_token_format", `vp_token.${id} must be a non-empty array of presentations`);
    }
    result[id] = presentations as string[];
  }
  if (Object.keys(result).length === 0) throw new PresentationError("vp_token_format", "vp_token is empty");
  return result;
}

function throwIfWalletError(error: string | undefined, description: string | undefined): void {
  if (error === undefined) return;
  throw new PresentationError("wallet_error", `the wallet declined: ${error}${description ? ` (${description})` : ""}`, { error: "access_denied" });
}

const stringOrUndefined = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
