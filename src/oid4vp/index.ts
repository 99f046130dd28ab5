/** What other domains may import from the OpenID4VP verifier engine. */
export { computeClientId, x509HashOf } from "./client-id.ts";
export type { ClientIdPrefix } from "./client-id.ts";
export { PID_VCT, defaultPidQuery, parseDcqlQuery } from "./dcql-query.ts";
export type { DcqlQueryInput, ParsedDcqlQuery } from "./dcql-query.ts";
export { decryptResponse, openResponse, readVpToken, responseLookupKey } from "./decrypt-response.ts";
export type { AuthorizationResponse, OpenedResponse, ResponseBody, VpToken } from "./decrypt-response.ts";
export {
  AuthenticationQueryError, SUBJECT_IDENTIFIERS, authenticationQuery, chooseAuthenticationCredential, requestedClaims, subjectIdentifierOf,
} from "./authentication-query.ts";
export { PresentationError, isPresentationError } from "./presentation-error.ts";
export type { PresentationCheck } from "./presentation-error.ts";
export {
  REQUEST_OBJECT_CONTENT_TYPE,
  SELF_ISSUED_AUDIENCE,
  createRequestObject,
  parseRequestUriPost,
} from "./request-object.ts";
export type { RequestObjectOptions, RequestUriPost } from "./request-object.ts";
export { createStatusListFetcher } from "./status-list.ts";
export type { FetchLike, StatusListFetcher, StatusListFetcherOptions } from "./status-list.ts";
export { createTransaction, isDcApiMode, isEncryptedMode, isExpired, presentationAudience } from "./transaction.ts";
export { DC_API_SIGNED_PROTOCOL, checkDcApiRequestParameters, checkExpectedOrigins, createDcApiRequest } from "./dc-api-request.ts";
export type { DcApiRequest } from "./dc-api-request.ts";
export type { CreateTransactionOptions, ResponseMode, Transaction, TransactionStatus } from "./transaction.ts";
export { createTrustStore } from "./trust-store.ts";
export type { TrustStore } from "./trust-store.ts";
export {
  createDevelopmentVerifierIdentity,
  exportVerifierIdentity,
  haipIdentityProblems,
  loadVerifierIdentity,
  verifierDnsNames,
} from "./verifier-identity.ts";
export type { ExportedVerifierIdentity, VerifierIdentity } from "./verifier-identity.ts";
export { checkQueryFulfilled, mergeClaims, verifyCredentials, verifyPresentationResponse } from "./verify-presentation-response.ts";
export type { RejectedPresentation, VerifiedCredential, VerifiedPresentation, VerifyPresentationOptions } from "./verify-presentation-response.ts";
export { verifySdJwtVc } from "./verify-sd-jwt-vc.ts";
export { mdocSessionTranscript } from "./mdoc/session-transcript.ts";
export { verifyMdoc } from "./mdoc/verify-mdoc.ts";
export type { VerifiedMdoc } from "./mdoc/verify-mdoc.ts";
export { MDOC_PID_DOCTYPE, MDOC_PID_NAMESPACE, pidClaimsFromMdoc } from "./mdoc/pid-claims.ts";
export type { VerifiedSdJwtVc } from "./verify-sd-jwt-vc.ts";
export { WALLET_SCHEMES, buildWalletUrl, walletQrSvg } from "./wallet-invocation.ts";
export type { WalletScheme, WalletUrlOptions } from "./wallet-invocation.ts";
export { readCertificates, type CertificateInfo } from "./certificate-info.ts";
export { trustAnchorProblem } from "./certificate-profile.ts";
