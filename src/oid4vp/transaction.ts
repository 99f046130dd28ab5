/**
 * A presentation transaction as plain data: everything the engine needs to
 * answer a request_uri fetch and to verify the response. The caller persists it
 * (sealing `response_key.private_jwk`), looks it up by `id` or `state`, consumes
 * it once, and sweeps it after `expires_at`. Nothing here touches storage.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.1
 */
import { exportJWK, generateKeyPair } from "jose";
import type { JWK } from "jose";
import { randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import { parseDcqlQuery } from "./dcql-query.ts";
import type { DcqlQueryInput } from "./dcql-query.ts";

export type ResponseMode = "direct_post.jwt" | "direct_post" | "dc_api.jwt" | "dc_api";
export type TransactionStatus = "pending" | "retrieved" | "verified" | "failed" | "expired";

export interface Transaction {
  id: string;
  /** >= 256 bits, URL-safe; the KB-JWT must carry it. */
  nonce: string;
  /** Echoed by the wallet in the response; how the response endpoint finds the transaction. */
  state: string;
  /** Full client_id including its prefix. */
  client_id: string;
  response_mode: ResponseMode;
  response_uri: string;
  /** The expected Origin of a Digital Credentials API transaction (set only for dc_api*): the mdoc handover and KB-JWT aud bind to it. */
  origin?: string;
  dcql_query: DcqlQueryInput;
  /** Ephemeral ECDH-ES key for this transaction only (§8.3). The caller must seal `private_jwk` at rest. */
  response_key: { kid: string; private_jwk: JWK; public_jwk: JWK };
  created_at: number;
  expires_at: number;
  status: TransactionStatus;
}

export interface CreateTransactionOptions {
  clientId: string;
  /** The response endpoint; a function receives the new transaction id (for per-transaction paths). */
  responseUri: string | ((transactionId: string) => string);
  dcqlQuery: DcqlQueryInput;
  responseMode?: ResponseMode;
  /** Required for (and only allowed with) the dc_api response modes: see Transaction.origin. */
  origin?: string;
  /** Lifetime in seconds (default 300). */
  ttl?: number;
  now?: number;
}

/**
 * A fresh transaction with new nonce, state and response-encryption key. The DCQL query is validated here, not at response time.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.1
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3
 */
export async function createTransaction(options: CreateTransactionOptions): Promise<Transaction> {
  parseDcqlQuery(options.dcqlQuery);
  const mode = options.responseMode ?? "direct_post.jwt";
  // A DC API response is bound to an origin, a redirect one to the client_id: never both, never neither.
  if (isDcApiMode(mode) !== (options.origin !== undefined)) throw new Error(`response_mode ${mode} ${isDcApiMode(mode) ? "needs" : "takes no"} origin`);
  const now = options.now ?? nowSeconds();
  const kid = randomId(16);
  const { privateKey, publicKey } = await generateKeyPair("ECDH-ES", { crv: "P-256", extractable: true });
  const private_jwk = { ...(await exportJWK(privateKey)), kid, alg: "ECDH-ES", use: "enc" };
  const public_jwk = { ...(await exportJWK(publicKey)), kid, alg: "ECDH-ES", use: "enc" };
  const id = randomId(32);
  return {
    id,
    nonce: randomId(32),
    state: randomId(32),
    client_id: options.clientId,
    response_mode: mode,
    response_uri: typeof options.responseUri === "function" ? options.responseUri(id) : options.responseUri,
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
    dcql_query: options.dcqlQuery,
    response_key: { kid, private_jwk, public_jwk },
    created_at: now,
    expires_at: now + (options.ttl ?? 300),
    status: "pending",
  };
}

/**
 * True once the transaction's lifetime is over; a late response must then be rejected.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.3.2
 */
export function isExpired(transaction: Pick<Transaction, "expires_at">, now: number = nowSeconds()): boolean {
  return now >= transaction.expires_at;
}

/** Whether the answer comes back through the Digital Credentials API. @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.2 */
export function isDcApiMode(mode: ResponseMode): mode is "dc_api.jwt" | "dc_api" {
  return mode === "dc_api.jwt" || mode === "dc_api";
}

/** Whether the response must be encrypted to the transaction's key. @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.3 */
export function isEncryptedMode(mode: ResponseMode): boolean {
  return mode === "direct_post.jwt" || mode === "dc_api.jwt";
}

/**
 * The audience a presentation must name (a KB-JWT `aud`): `origin:<Origin>` over the DC API, even
 * for signed requests, and the full client_id otherwise.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A.4
 */
export function presentationAudience(transaction: Pick<Transaction, "response_mode" | "origin" | "client_id">): string {
  if (!isDcApiMode(transaction.response_mode)) return transaction.client_id;
  if (!transaction.origin) throw new Error("a DC API transaction without its origin");
  return `origin:${transaction.origin}`;
}
