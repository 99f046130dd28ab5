export type { Authentication } from "./authentication.ts";
export { ACR } from "./acr.ts";
export { verifyPassword, type PasswordResult } from "./password.ts";
export { AttemptLimiter } from "./rate-limiter.ts";
export { sendRecoveryLinks, finishRecovery, RECOVERY_TTL } from "./password-recovery.ts";
export { sendSignInLinks, redeemSignInLink } from "./email-link.ts";
