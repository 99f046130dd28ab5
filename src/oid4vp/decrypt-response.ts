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
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.2
 */
import { compactDecrypt, decodeProtectedHeader, importJWK } from "jose";
import type { CompactJWEHeaderParameters } from "jose";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { PresentationError } from "./presentation-error.ts";
import { SUPPORTED_RESPONSE_ENC } from "./request-object.ts";
import type { Transaction } from "./transaction.ts";

/** vp_token of OpenID4VP 1.0: credential query id → presentations (§8.1). */
export type VpToken = Record<string, string[]>;

export interface AuthorizationResponse {
  vp_token: VpToken;
  state: string;
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
export type OpenedResponse = { state: string; vpToken: unknown } | { state: string; error: string; errorDescription?: string };

/**
 * Decrypts (or reads) the POST and checks its state; throws a PresentationError for anything that
 * is not provably this transaction's answer, which must then leave the transaction as it was.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3.1
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.3.2
 */
export async function openResponse(transaction: Transaction, body: ResponseBody): Promise<OpenedResponse> {
  const field = (name: string): string | undefined => (body instanceof URLSearchParams ? (body.get(name) ?? undefined) : body[name]);
  const jwe = field("response");
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
  // jose decrypts whatever algorithm it is handed unless told otherwise: pin both explicitly.
  if (header.alg !== "ECDH-ES") throw new PresentationError("response_alg", `JWE alg ${String(header.alg)} is not ECDH-ES`);
  if (!(SUPPORTED_RESPONSE_ENC as readonly string[]).includes(String(header.enc))) {
    throw new PresentationError("response_alg", `JWE enc ${String(header.enc)} is not A128GCM or A256GCM`);
  }
  if (header.kid !== transaction.response_key.kid) throw new PresentationError("response_key", "the response is not encrypted to this transaction's key");
  const key = await importJWK({ ...transaction.response_key.private_jwk, alg: "ECDH-ES" }, "ECDH-ES");
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: ["ECDH-ES"],
      contentEncryptionAlgorithms: [...SUPPORTED_RESPONSE_ENC],
    }));
  } catch {
    throw new PresentationError("response_decrypt", "the response could not be decrypted with this transaction's key");
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
