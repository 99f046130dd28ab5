import type { Store } from "../store/index.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { isUsableHa1 } from "../lib/ha1.ts";
import { nowSeconds } from "../lib/time.ts";
import { TenantInputError } from "./manage-tenants.ts";
import { addUser, checkNewUsername, type Ha1Sealer } from "./manage-users.ts";

/** How long the printed set-up link works. */
const SETUP_TTL = 24 * 3600;

/**
 * While a tenant has no admin, `serve` prints a one-time link that lets the
 * first admin choose a password (the browser sends only its HA1). A new link
 * replaces the previous one.
 */
export async function issueSetupToken(store: Store, tenant: string): Promise<string | null> {
  if ((await store.users.countByRole(tenant, "admin")) > 0) return null;
  const token = randomId(24);
  await store.setupTokens.replace(tenant, hashSecret(token), nowSeconds() + SETUP_TTL);
  return token;
}

export async function completeSetup(store: Store, sealer: Ha1Sealer, tenant: string, token: string, username: string, ha1: string): Promise<void> {
  if (!isUsableHa1(ha1)) throw new TenantInputError("The password digest is malformed.");
  if ((await store.users.countByRole(tenant, "admin")) > 0) throw new TenantInputError("This server already has an admin.");
  // Everything that can refuse comes first: a typo must not spend the one-time link.
  await checkNewUsername(store, tenant, username);
  if (!(await store.setupTokens.consume(tenant, hashSecret(token), nowSeconds()))) throw new TenantInputError("The set-up link is invalid, used or expired. Restart Sigil for a new one.");
  await addUser(store, tenant, { username, ha1, role: "admin" }, sealer);
}
