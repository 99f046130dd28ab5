import type { Keyring } from "../keys/index.ts";
import type { User } from "../store/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { ACR } from "./acr.ts";
import type { Authentication } from "./authentication.ts";

export type PasswordResult =
  | { ok: true; authentication: Authentication; user: User }
  /** `userExists` is for the audit log only: the answer to the client never differs. */
  | { ok: false; reason: "invalid_credentials" | "not_allowed"; username: string; userExists: boolean };

export interface PasswordDeps {
  keyring: Pick<Keyring, "ha1Matches">;
}

/**
 * Password sign-in: the browser sent HA1 = MD5(user:realm:password); the keyring opens
 * the stored, sealed HA1 and compares in constant time. Unknown user, user without a
 * password, disabled user and wrong hash answer alike and cost alike (a decoy is opened
 * for those who have nothing to open). Users with role `siponly` authenticate SIP, not the web.
 * `user` is the account named `username`, already looked up by the caller (null when none is).
 */
export async function verifyPassword(deps: PasswordDeps, tenant: string, user: User | null, username: string, ha1: string): Promise<PasswordResult> {
  const matches = await deps.keyring.ha1Matches(user, ha1.toLowerCase());
  if (!user || !matches || user.disabled) return { ok: false, reason: "invalid_credentials", username, userExists: user !== null };
  if (user.role === "siponly") return { ok: false, reason: "not_allowed", username, userExists: true };
  return {
    ok: true,
    user,
    authentication: { tenant, sub: user.sub, amr: ["pwd"], acr: ACR.password, authTime: nowSeconds(), claims: {} },
  };
}
