import { userInfo } from "node:os";
import { AuditLog } from "../audit/index.ts";
import { loadConfig, type Config } from "../config/index.ts";
import { convertLegacySecrets, Keyring, loadMasterSecret } from "../keys/index.ts";
import { openStore, type Store } from "../store/index.ts";

/** What every command needs: the configuration and its store (--store or SIGIL_STORE; else SQLite in --data or SIGIL_DATA). */
export function openData(flags: { data?: string | undefined; config?: string | undefined; store?: string | undefined }): { config: Config; store: Store } {
  const config = loadConfig({ dataDir: flags.data, configFile: flags.config, store: flags.store });
  return { config, store: openStore(config) };
}

/**
 * The keyring of the data directory. Opening it first converts whatever an older Sigil stored in
 * the clear (keys/convert-legacy-secrets.ts): every process that can read users' secrets has
 * opened the keyring, so none of them ever meets an unconverted row.
 */
export async function openKeyring(config: Config, store: Store): Promise<Keyring> {
  const keyring = await Keyring.create(store, loadMasterSecret(config.dataDir, config.masterKey));
  const converted = await convertLegacySecrets(store, keyring);
  if (converted > 0) console.error(`sigil: sealed ${converted} password digest(s) and recovery code(s) stored by an older version`);
  return keyring;
}

/** Records an operator's change in the tenant's audit log and waits until it is on disk. */
export async function auditAdminChange(config: Config, tenant: string, action: string, fields: Record<string, unknown>): Promise<void> {
  const audit = new AuditLog(config.dataDir);
  // The operator is the account that ran the command: the closest thing to an admin identity the CLI has.
  audit.record(tenant, "admin.change", { action, by: "cli", admin: operatorName(), ...fields });
  await audit.flush();
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown"; // an account with no passwd entry (some containers)
  }
}
