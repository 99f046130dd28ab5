export type { Authentication } from "./authentication.ts";
export { ACR } from "./acr.ts";
export { verifyPassword, type PasswordResult } from "./password.ts";
export { sendRecoveryLinks, finishRecovery, RECOVERY_TTL } from "./password-recovery.ts";
export { sendSignInLinks, redeemSignInLink } from "./email-link.ts";
export {
  requiresSecondFactor, openPendingLogin, verifySecondFactor, sendEmailCode, totpBinding, secondFactorThrottleKey,
  PENDING_LOGIN_TTL, SECOND_FACTOR_ATTEMPTS, type SecondFactorProof,
} from "./second-factor.ts";
export { beginTotpEnrolment, confirmTotpEnrolment, regenerateRecoveryCodes } from "./totp-enrolment.ts";
export {
  startPasskeySignIn, finishPasskeySignIn, startPasskeyRegistration, finishPasskeyRegistration, CEREMONY_TTL, type RelyingPartyContext, type PasskeyFailure,
} from "./passkey.ts";
export { meetsAcrValues, requiresPasskey, acrRank } from "./acr.ts";
export { storeThrottle, throttleKeys, PASSWORD_THROTTLE, SECOND_FACTOR_THROTTLE } from "./throttle.ts";
export { storeAttemptLimit } from "./attempt-limit.ts";
export { sendLockoutNotice, type LockoutKind } from "./lockout-notice.ts";
export { strongestCredentialAcr, atLeastAsStrong } from "./credential-strength.ts";
export { walletAccount, personalClaims, linkWallet } from "./wallet/wallet-account.ts";

