import { hasPassword, type Store, type User } from "../store/index.ts";
import { ACR, acrRank } from "./acr.ts";

/**
 * The class of the strongest way this account can sign in: a passkey or a linked wallet, else a
 * password with the authenticator app, else a password, else only a mailed link. Changing how the
 * account signs in takes a session at least this strong, so a weaker way in (a mailbox, a known
 * password) can never add or remove a stronger one.
 */
export async function strongestCredentialAcr(store: Store, user: User): Promise<string> {
  if ((await store.passkeys.listOfUser(user.tenant, user.sub)).length > 0) return ACR.passkey;
  if ((await store.walletLinks.countOfUser(user.tenant, user.sub)) > 0) return ACR.wallet;
  if ((await store.secondFactors.totp(user.tenant, user.sub))?.sealedSecret) return ACR.passwordAndOtp;
  return hasPassword(user) ? ACR.password : ACR.emailLink;
}

/** Whether a session of class `achieved` is at least as strong as `required`. */
export const atLeastAsStrong = (achieved: string, required: string): boolean => acrRank(achieved) >= acrRank(required);
