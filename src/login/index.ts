export type { Authentication } from "./authentication.ts";
export { ACR } from "./acr.ts";
export { verifyPassword, type PasswordResult } from "./password.ts";
export { FailureRateLimiter } from "./rate-limiter.ts";
