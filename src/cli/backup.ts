import { join } from "node:path";
import { loadConfig } from "../config/index.ts";
import { BackupError, backupSqliteStore } from "../store/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";

/**
 * sigil backup --data DIR --to FILE: a consistent copy of the store, safe while serve runs. The copy
 * holds keys and secrets sealed under the master key, which it does not contain: without that key the
 * backup restores users and clients whose passwords still work but no signing key, TOTP seed or SMTP
 * password opens. So the command says where the key is, every time.
 */
export async function backupCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, { to: { type: "string" } }, []);
  if (!values.to) throw new CliError("usage: sigil backup --data DIR --to FILE");
  const config = loadConfig({ dataDir: values.data, configFile: values.config });
  let schema: number;
  try {
    ({ schema } = await backupSqliteStore(config.dataDir, values.to));
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
  const key = config.masterKey ? "the master key in SIGIL_MASTER_KEY (or masterKey in the config file)" : join(config.dataDir, "master.key");
  console.log(`backup written to ${values.to} (store schema ${schema})`);
  console.log(`keep ${key} with it: the backup does not contain the master key, and nothing sealed in it opens without that key`);
  console.log(`not in the backup: the audit logs and outbox under ${join(config.dataDir, "tenants")} and ${join(config.dataDir, "outbox")} (copy them as files)`);
}
