import type { Services } from "../context/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { User } from "../store/index.ts";

/** The user a grant was made for, while still allowed: a disabled or removed user's grants mint nothing. */
export async function activeUser(services: Services, tenant: string, sub: string): Promise<User> {
  const user = await services.store.users.findBySub(tenant, sub);
  if (!user || user.disabled) throw new OAuthError("invalid_grant", "The user is no longer active.");
  return user;
}
