import { OAuthError } from "../lib/oauth-error.ts";
import type { SwitchableMethod, Tenant } from "../store/index.ts";

const NAMES: Record<SwitchableMethod, string> = { password: "Password", passkey: "Passkey", "eu-wallet": "EU Wallet" };

/**
 * A method the tenant turned off is refused by the sign-in API itself, not only hidden from the
 * page: a script that posts to the endpoint directly meets the same switch.
 */
export function refuseUnlessOffered(tenant: Pick<Tenant, "disabledMethods">, method: SwitchableMethod): void {
  if (tenant.disabledMethods.includes(method)) {
    throw new OAuthError("access_denied", `${NAMES[method]} sign-in is turned off for this site.`, { status: 403 });
  }
}

/** The page's methods in its order, without those the tenant turned off. */
export function offeredMethods(tenant: Pick<Tenant, "disabledMethods">, emailOffered: boolean): string[] {
  const methods: string[] = ["password", "passkey", "eu-wallet"].filter((method) => !tenant.disabledMethods.includes(method as SwitchableMethod));
  return emailOffered ? [...methods, "email-link"] : methods;
}
