import { join } from "node:path";
import { loadConfig } from "../config/index.ts";
import { BackupError, restoreSqliteStore } from "../store/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";

/**
 * sigil restore --data DIR --from FILE [--force]: puts a backup in place of the store. The file must
 * be a Sigil store this version knows; an existing store is replaced only with --force, and never
 * while a serve has it open. The master key is the operator's to put back: it is not in the backup.
 */
export async function restoreCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, { from: { type: "string" }, force: { type: "boolean" } }, []);
  if (!values.from) throw new CliError("usage: sigil restore --data DIR --from FILE [--force]");
  const config = loadConfig({ dataDir: values.data, configFile: values.config });
  let schema: number;
  try {
    ({ schema } = restoreSqliteStore(config.dataDir, values.from, values.force ?? false));
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
  console.log(`restored ${values.from} (store schema ${schema}) into ${config.dataDir}`);
  console.log(`before sigil serve: put the master key kept with the backup at ${join(config.dataDir, "master.key")} or in SIGIL_MASTER_KEY; serve refuses to start with any other`);
}
