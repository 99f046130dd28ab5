import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/index.ts";
import { Keyring, loadMasterSecret } from "../keys/index.ts";
import type { Store } from "../store/index.ts";
import { CliError } from "./cli-error.ts";

/**
 * Refuses to start when the master key cannot open the signing keys the store already holds: a data
 * directory restored without its master.key (or with the wrong SIGIL_MASTER_KEY) would otherwise get
 * a new key, start, and fail every request. Checked before anything is sealed under the key, and
 * before a missing master.key is made, so the wrong key never touches the store or the directory.
 */
export async function checkMasterKey(config: Config, store: Store): Promise<void> {
  const keyed = await firstTenantWithKeys(store);
  if (keyed === null) return; // a new store: whatever key there is (or is about to be made) is its key
  const file = join(config.dataDir, "master.key");
  const mismatch = () => new CliError(config.masterKey
    ? "SIGIL_MASTER_KEY does not match this store: set the master key this store was made with"
    : `${file} does not match this store: restore the original or set SIGIL_MASTER_KEY`);
  if (!config.masterKey && !existsSync(file)) throw mismatch();
  try {
    const probe = await Keyring.create(store, loadMasterSecret(config.dataDir, config.masterKey));
    // Loading the tenant's keys opens its active private key: AES-GCM fails under any other master key.
    await probe.jwks(keyed);
  } catch {
    throw mismatch();
  }
}

async function firstTenantWithKeys(store: Store): Promise<string | null> {
  for (const tenant of await store.tenants.list()) {
    if ((await store.signingKeys.listPublished(tenant.host)).length > 0) return tenant.host;
  }
  return null;
}
