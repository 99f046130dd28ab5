import { isUsableHa1 } from "../lib/ha1.ts";
import type { Store } from "../store/index.ts";
import type { Keyring } from "./keyring.ts";

/**
 * Brings the users' secrets an older Sigil stored up to today's form: a plaintext HA1 is sealed
 * (the all-zeros "no password" mark, or anything else that could never sign in, becomes "no
 * password"), an unkeyed recovery-code digest becomes its keyed MAC. Everything is computed
 * first and written in one transaction, each row only if unchanged meanwhile: a crash leaves the
 * old rows as they were, and the next start (or a second process racing this one) finishes the job.
 * Returns the number of rows converted.
 */
export async function convertLegacySecrets(store: Store, keyring: Keyring): Promise<number> {
  const legacy = await store.users.legacySecrets();
  if (legacy.ha1s.length === 0 && legacy.recoveryCodes.length === 0) return 0;
  const ha1s = await Promise.all(legacy.ha1s.map(async ({ tenant, sub, ha1 }) => {
    const hex = ha1.toLowerCase();
    return { tenant, sub, from: ha1, sealedHa1: isUsableHa1(hex) ? await keyring.sealHa1(tenant, sub, hex) : null };
  }));
  const recoveryCodes = await Promise.all(legacy.recoveryCodes.map(async ({ tenant, sub, digest }) => (
    // The codes themselves are gone: the MAC is over the digest, as verification computes it (login/totp.ts).
    { tenant, sub, from: digest, mac: await keyring.recoveryCodeMac(tenant, sub, digest) }
  )));
  return store.users.convertLegacySecrets({ ha1s, recoveryCodes });
}
