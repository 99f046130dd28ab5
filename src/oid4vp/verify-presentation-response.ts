/**
 * The whole response check in one call: decrypt (or read) the wallet's POST,
 * bind it to the transaction by state, verify every SD-JWT VC presentation
 * (issuer trust, disclosures, Key Binding, status) or mdoc DeviceResponse
 * (mdoc/verify-mdoc.ts), then check on the server
 * that the verified credentials satisfy the DCQL query. Any failure rejects
 * the whole response with a PresentationError naming the check.
 * The caller owns what needs storage: finding the transaction by state,
 * consuming it once (replay), and marking it failed or verified.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.6
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.9
 */
import { nowSeconds } from "../lib/time.ts";
import { checkDcqlSatisfied } from "./check-dcql.ts";
import { decryptResponse } from "./decrypt-response.ts";
import { parseStoredDcqlQuery, requestedDocTypes, requestedMdocElements, requestedVcts } from "./dcql-query.ts";
import { mdocSessionTranscript } from "./mdoc/session-transcript.ts";
import { verifyMdoc } from "./mdoc/verify-mdoc.ts";
import type { VerifiedMdoc } from "./mdoc/verify-mdoc.ts";
import { createStatusListFetcher } from "./status-list.ts";
import { PresentationError } from "./presentation-error.ts";
import { isExpired, presentationAudience } from "./transaction.ts";
import { verifySdJwtVc } from "./verify-sd-jwt-vc.ts";
import type { ResponseBody, VpToken } from "./decrypt-response.ts";
import type { StatusListFetcher } from "./status-list.ts";
import type { Transaction } from "./transaction.ts";
import type { TrustStore } from "./trust-store.ts";
import type { VerifiedSdJwtVc } from "./verify-sd-jwt-vc.ts";
import { trustForCredentialType } from "./trusted-lists/scoped-trust.ts";

export interface VerifyPresentationOptions {
  /** Trust anchors for credential and status-list issuers. */
  trust: TrustStore;
  /** Status list fetcher (injectable fetch, cache, allowHttp); a default HTTPS-only one is used otherwise. */
  statusLists?: StatusListFetcher;
  now?: number;
  skewSeconds?: number;
  kbMaxAgeSeconds?: number;
  kbMaxFutureSeconds?: number;
}

/** One verified presentation: an SD-JWT VC or an mdoc (`format: "mso_mdoc"`); both carry vct (the mdoc's docType), claims and the key hashes. */
export type VerifiedCredential = VerifiedSdJwtVc | VerifiedMdoc;

const defaultStatusLists = createStatusListFetcher();

export interface VerifiedPresentation {
  ok: true;
  /** Per credential query id: the claims of its presentations merged (one presentation unless `multiple`). */
  claims: Record<string, Record<string, unknown>>;
  credentials: Record<string, VerifiedCredential[]>;
}

export interface RejectedPresentation {
  ok: false;
  error: PresentationError;
}

/**
 * Never throws a PresentationError: a rejection comes back as `{ ok: false, error }`
 * (error.check names the failed check). Unexpected faults still throw.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.6
 */
export async function verifyPresentationResponse(
  transaction: Transaction,
  body: ResponseBody,
  options: VerifyPresentationOptions,
): Promise<VerifiedPresentation | RejectedPresentation> {
  try {
    return await verifyOrThrow(transaction, body, options);
  } catch (error) {
    if (error instanceof PresentationError) return { ok: false, error };
    throw error;
  }
}

async function verifyOrThrow(transaction: Transaction, body: ResponseBody, options: VerifyPresentationOptions): Promise<VerifiedPresentation> {
  const now = options.now ?? nowSeconds();
  if (isExpired(transaction, now)) throw new PresentationError("transaction_expired", "the presentation request has expired");
  const { vp_token } = await decryptResponse(transaction, body);
  const credentials = await verifyCredentials(transaction, vp_token, { ...options, now });
  checkQueryFulfilled(transaction, credentials);
  return { ok: true, claims: mergeClaims(credentials), credentials };
}

/**
 * Verifies every presentation of a vp_token (SD-JWT VC with Key Binding, or mdoc DeviceResponse with
 * device signature over this transaction's SessionTranscript; status)
 * against the credential query it answers; throws a PresentationError naming the failed check.
 * It does not check that the query as a whole is fulfilled: `checkQueryFulfilled` does.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.6
 */
export async function verifyCredentials(transaction: Transaction, vpToken: VpToken, options: VerifyPresentationOptions): Promise<Record<string, VerifiedCredential[]>> {
  const now = options.now ?? nowSeconds();
  const query = parseStoredDcqlQuery(transaction.dcql_query);
  const vcts = requestedVcts(query);
  const docTypes = requestedDocTypes(query);
  let transcript: Uint8Array | undefined;
  const credentials: Record<string, VerifiedCredential[]> = {};
  for (const [queryId, presentations] of Object.entries(vpToken)) {
    if (!query.credentials.some((c) => c.id === queryId)) throw new PresentationError("dcql_unknown_query", `vp_token carries ${queryId}, which was not requested`);
    credentials[queryId] = [];
    const docType = docTypes.get(queryId);
    if (docType !== undefined) {
      // Computed once per response, from the stored transaction: never from anything the wallet sent.
      transcript ??= await mdocSessionTranscript(transaction);
      for (const presentation of presentations) {
        credentials[queryId].push(await verifyMdoc(presentation, {
          docType, sessionTranscript: transcript, requested: requestedMdocElements(query, queryId), trust: trustForCredentialType(options.trust, { doctype: docType }), now,
          statusLists: options.statusLists ?? defaultStatusLists, skewSeconds: options.skewSeconds,
        }));
      }
      continue;
    }
    const vctValues = vcts.get(queryId);
    if (!vctValues) throw new PresentationError("credential_format", `credential query ${queryId} is neither an SD-JWT VC nor an mdoc query`);
    for (const presentation of presentations) {
      credentials[queryId].push(
        await verifySdJwtVc(presentation, {
          nonce: transaction.nonce,
          // The KB-JWT aud: the client_id, or origin:<Origin> over the DC API (Appendix A.4).
          clientId: presentationAudience(transaction),
          vctValues,
          trust: options.trust,
          now,
          statusLists: options.statusLists,
          skewSeconds: options.skewSeconds,
          kbMaxAgeSeconds: options.kbMaxAgeSeconds,
          kbMaxFutureSeconds: options.kbMaxFutureSeconds,
        }),
      );
    }
  }
  return credentials;
}

/**
 * Throws `dcql_unsatisfied` unless the verified credentials fulfil the transaction's query
 * (claims, claim_sets, credential_sets, multiple): the wallet's own evaluation is never trusted.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.9
 */
export function checkQueryFulfilled(transaction: Transaction, credentials: Record<string, VerifiedCredential[]>): void {
  checkDcqlSatisfied(parseStoredDcqlQuery(transaction.dcql_query), credentials);
}

/** Per credential query: the claims of its presentations merged, later ones winning (one presentation unless `multiple`). */
export function mergeClaims(credentials: Record<string, VerifiedCredential[]>): Record<string, Record<string, unknown>> {
  const claims: Record<string, Record<string, unknown>> = {};
  for (const [queryId, verified] of Object.entries(credentials)) claims[queryId] = Object.assign({}, ...verified.map((v) => v.claims));
  return claims;
}
