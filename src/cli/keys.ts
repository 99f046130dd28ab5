import { AuditLog } from "../audit/index.ts";
import { requireTenant } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { openData, openKeyring } from "./open-data.ts";

/** sigil keys rotate HOST | sigil keys list HOST. A running server picks the new key up without restart. */
export async function keysCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub !== "rotate" && sub !== "list") throw new CliError("usage: sigil keys rotate HOST | sigil keys list HOST");
  const { values, positionals } = parseCommand(args, {}, ["HOST"]);
  const { config, store } = openData(values);
  const tenant = await requireTenant(store, positionals[0]!);
  if (sub === "rotate") {
    const keyring = await openKeyring(config, store);
    const kid = await keyring.rotate(tenant.host);
    const audit = new AuditLog(config.dataDir);
    audit.record(tenant.host, "keys.rotated", { kid, by: "cli" });
    await audit.flush();
    console.log(`new active signing key ${kid} for ${tenant.host}; the previous key stays published`);
    return;
  }
  if (sub === "list") {
    for (const key of await store.signingKeys.listAll(tenant.host)) console.log(`${key.kid}\t${key.status}\t${new Date(key.createdAt * 1000).toISOString()}`);
    return;
  }
  throw new CliError("usage: sigil keys rotate HOST | sigil keys list HOST");
}
