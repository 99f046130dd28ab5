import type { Store, User } from "../store/index.ts";
import { nowSeconds } from "../lib/time.ts";

/**
 * Records that the user proved they read mail at their address (a recovery link, a sign-in link or
 * an emailed code was used): from now on `email_verified` is true, as OpenID Connect Core §5.1 means
 * it. The proof is for the address the mail went to, so it counts only if the user's record has not
 * changed since `sentAt` (an address edited after the mail went out is not the one proved).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export async function noteEmailProved(store: Store, user: User, sentAt: number): Promise<void> {
  if (!user.email || user.emailVerified || user.updatedAt > sentAt) return;
  await store.users.update(user.tenant, user.username, { emailVerified: true }, nowSeconds());
}
