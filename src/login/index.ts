export type { Authentication } from "./authentication.ts";
export { ACR } from "./acr.ts";
export { verifyPassword, type PasswordResult } from "./password.ts";
export { AttemptLimiter } from "./rate-limiter.ts";
export { sendRecoveryLinks, finishRecovery, RECOVERY_TTL } from "./password-recovery.ts";
export { sendSignInLinks, redeemSignInLink } from "./email-link.ts";
export {
  requiresSecondFactor, openPendingLogin, verifySecondFactor, sendEmailCode, totpBinding,
  PENDING_LOGIN_TTL, SECOND_FACTOR_ATTEMPTS, type SecondFactorProof,
} from "./second-factor.ts";
export { beginTotpEnrolment, confirmTotpEnrolment, regenerateRecoveryCodes } from "./totp-enrolment.ts";
export {
  startPasskeySignIn, finishPasskeySignIn, startPasskeyRegistration, finishPasskeyRegistration, CEREMONY_TTL, type RelyingPartyContext, type PasskeyFailure,
} from "./passkey.ts";
export { meetsAcrValues, requiresPasskey } from "./acr.ts";
export { WalletVerifier, sealOperatorIdentity, type StartedTransaction, type ResponseOutcome, type PresentationResult } from "./wallet/wallet-verifier.ts";
export { walletAccount, personalClaims, linkWallet } from "./wallet/wallet-account.ts";
export { takePageTransaction, type PageTransaction } from "./wallet/page-transaction.ts";
