/** What other domains may import from the verifier: the one owner of wallet transactions. */
export {
  WalletVerifier, WalletQueryError, sealOperatorIdentity, type StartedTransaction, type ResponseOutcome, type PresentationResult,
} from "./wallet-verifier.ts";
export { takePageTransaction, type PageTransaction } from "./page-transaction.ts";
export { transactionState, awaitsWallet, verifiedResult, type TransactionState } from "./transaction-state.ts";
export { describeLink, decideLink } from "./link-confirmation.ts";
export { serveRequestObject, acceptWalletResponse, type VerifierEndpointDeps, type VerifierRequest } from "./wallet-endpoints.ts";
export { createPresentation, readPresentation, type PresentationsApiDeps } from "./presentations-api.ts";
export { VERIFIER_ROUTES, type VerifierRoute } from "./routes.ts";
