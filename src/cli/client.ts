import { addClient } from "../tenant/index.ts";
import { requireTenant } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData } from "./open-data.ts";

const USAGE = `usage: sigil client add HOST CLIENT_ID --redirect-uri URI [--redirect-uri URI ...] [--post-logout-redirect-uri URI ...] [--confidential] [--refresh-ttl SECONDS] | client list HOST | client remove HOST CLIENT_ID`;

export async function clientCommand(sub: string | undefined, args: string[]): Promise<void> {
  switch (sub) {
    case "add": {
      const { values, positionals } = parseCommand(args, {
        "redirect-uri": { type: "string", multiple: true },
        "post-logout-redirect-uri": { type: "string", multiple: true },
        confidential: { type: "boolean" },
        "refresh-ttl": { type: "string" },
      }, ["HOST", "CLIENT_ID"]);
      const ttl = values["refresh-ttl"] === undefined ? null : Number(values["refresh-ttl"]);
      if (ttl !== null && (!Number.isInteger(ttl) || ttl < 60 || ttl > 365 * 86400)) throw new CliError("--refresh-ttl is a whole number of seconds from 60 to a year");
      const { config, store } = openData(values);
      const { client, secret, warnings } = await addClient(store, positionals[0]!, {
        clientId: positionals[1]!,
        redirectUris: values["redirect-uri"] ?? [],
        postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
        confidential: values.confidential ?? false,
        refreshTokenTtl: ttl,
      });
      await auditAdminChange(config, client.tenant, "client.add", { client_id: client.clientId, confidential: secret !== null, redirect_uris: client.redirectUris });
      for (const warning of warnings) console.error(`warning: ${warning}`);
      console.log(`client ${client.clientId} added to ${client.tenant} (${secret ? "confidential" : "public, PKCE required"})`);
      if (secret) console.log(`secret: ${secret}`);
      return;
    }
    case "list": {
      const { values, positionals } = parseCommand(args, {}, ["HOST"]);
      const { store } = openData(values);
      const tenant = await requireTenant(store, positionals[0]!);
      for (const client of await store.clients.list(tenant.host)) {
        console.log([client.clientId, client.secretHash ? "confidential" : "public", client.redirectUris.join(",")].join("\t"));
      }
      return;
    }
    case "remove": {
      const { values, positionals } = parseCommand(args, {}, ["HOST", "CLIENT_ID"]);
      const { config, store } = openData(values);
      const tenant = await requireTenant(store, positionals[0]!);
      if (!(await store.clients.remove(tenant.host, positionals[1]!))) throw new CliError(`no client ${positionals[1]} in ${tenant.host}`);
      await auditAdminChange(config, tenant.host, "client.remove", { client_id: positionals[1] });
      console.log(`client ${positionals[1]} removed`);
      return;
    }
    default:
      throw new CliError(USAGE);
  }
}
