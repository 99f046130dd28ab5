import { addTenant } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData } from "./open-data.ts";

/** sigil tenant add HOST [--realm REALM] | sigil tenant list */
export async function tenantCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === "add") {
    const { values, positionals } = parseCommand(args, { realm: { type: "string" } }, ["HOST"]);
    const { config, store } = openData(values);
    const tenant = await addTenant(store, positionals[0]!, values.realm);
    await auditAdminChange(config, tenant.host, "tenant.add", { realm: tenant.realm });
    console.log(`tenant ${tenant.host} added (realm ${tenant.realm})`);
    return;
  }
  if (sub === "list") {
    const { values } = parseCommand(args, {}, []);
    const { store } = openData(values);
    for (const tenant of await store.tenants.list()) console.log(`${tenant.host}\trealm=${tenant.realm}`);
    return;
  }
  throw new CliError("usage: sigil tenant add HOST [--realm REALM] | sigil tenant list");
}
