import type { Store, User } from "../store/index.ts";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { HA1_PATTERN, isUsableHa1 } from "../lib/ha1.ts";
import { nowSeconds } from "../lib/time.ts";
import { ACR } from "./acr.ts";
import type { Authentication } from "./authentication.ts";

export type PasswordResult =
  | { ok: true; authentication: Authentication; user: User }
  /** `userExists` is for the audit log only: the answer to the client never differs. */
  | { ok: false; reason: "invalid_credentials" | "not_allowed"; username: string; userExists: boolean };

/** Compared against when the user does not exist, so an unknown name costs the same as a wrong hash. */
const DECOY_HA1 = "5f4dcc3b5aa765d61d8327deb882cf99";

/**
 * Password sign-in: the browser sent HA1 = MD5(user:realm:password); compare it
 * in constant time with the stored HA1. Unknown user, disabled user and wrong
 * hash answer alike. Users with role `siponly` authenticate SIP, not the web.
 */
export async function verifyPassword(store: Store, tenant: string, username: string, ha1: string): Promise<PasswordResult> {
  const candidate = ha1.toLowerCase();
  const user = username.length > 0 && username.length <= 256 ? await store.users.findByUsername(tenant, username) : null;
  const matches = constantTimeEqual(user?.ha1 ?? DECOY_HA1, HA1_PATTERN.test(candidate) ? candidate : "x".repeat(32));
  // A user without a password (stored all-zeros HA1) never signs in with one, whatever is sent.
  if (!user || !matches || user.disabled || !isUsableHa1(user.ha1)) return { ok: false, reason: "invalid_credentials", username, userExists: user !== null };
  if (user.role === "siponly") return { ok: false, reason: "not_allowed", username, userExists: true };
  return {
    ok: true,
    user,
    authentication: { tenant, sub: user.sub, amr: ["pwd"], acr: ACR.password, authTime: nowSeconds(), claims: {} },
  };
}
