import { addClient, checkRefreshTtl, removeClient } from "../tenant/index.ts";
import { requireTenant } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData } from "./open-data.ts";

const USAGE = `usage: sigil client add HOST CLIENT_ID --redirect-uri URI [--redirect-uri URI ...] [--post-logout-redirect-uri URI ...] [--confidential] [--refresh-ttl SECONDS] [--grant authorization_code|refresh_token|client_credentials ...] [--scope SCOPE ...] | client list HOST | client remove HOST CLIENT_ID`;

export async function clientCommand(sub: string | undefined, args: string[]): Promise<void> {
  switch (sub) {
    case "add": {
      const { values, positionals } = parseCommand(args, {
        "redirect-uri": { type: "string", multiple: true },
        "post-logout-redirect-uri": { type: "string", multiple: true },
        confidential: { type: "boolean" },
        "refresh-ttl": { type: "string" },
        grant: { type: "string", multiple: true },
        scope: { type: "string", multiple: true },
      }, ["HOST", "CLIENT_ID"]);
      const ttl = values["refresh-ttl"] === undefined ? null : Number(values["refresh-ttl"]);
      if (ttl !== null && !Number.isInteger(ttl)) throw new CliError("--refresh-ttl is a whole number of seconds from 60 to a year");
      checkRefreshTtl(ttl);
      const { config, store } = openData(values);
      const { client, secret, warnings } = await addClient(store, positionals[0]!, {
        clientId: positionals[1]!,
        redirectUris: values["redirect-uri"] ?? [],
        postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
        confidential: values.confidential ?? false,
        refreshTokenTtl: ttl,
        grantTypes: values.grant,
        scopes: values.scope?.flatMap((scope) => scope.split(" ").filter((word) => word.length > 0)),
      });
      await auditAdminChange(config, client.tenant, "client.add", {
        client_id: client.clientId, confidential: secret !== null, redirect_uris: client.redirectUris, grant_types: client.grantTypes, scopes: client.scopes,
      });
      for (const warning of warnings) console.error(`warning: ${warning}`);
      const machine = client.grantTypes.includes("client_credentials") ? `; client_credentials for: ${client.scopes.join(" ") || "(no scopes)"}` : "";
      console.log(`client ${client.clientId} added to ${client.tenant} (${secret ? "confidential" : "public, PKCE required"}${machine})`);
      if (secret) console.log(`secret: ${secret}`);
      return;
    }
    case "list": {
      const { values, positionals } = parseCommand(args, {}, ["HOST"]);
      const { store } = openData(values);
      const tenant = await requireTenant(store, positionals[0]!);
      for (const client of await store.clients.list(tenant.host)) {
        // Grants and scopes only where they differ from what every client could always do.
        const grants = client.grantTypes.join(",") === "authorization_code,refresh_token" ? [] : [client.grantTypes.join(","), client.scopes.join(" ")];
        console.log([client.clientId, client.secretHash ? "confidential" : "public", client.redirectUris.join(","), ...grants].join("\t"));
      }
      return;
    }
    case "remove": {
      const { values, positionals } = parseCommand(args, {}, ["HOST", "CLIENT_ID"]);
      const { config, store } = openData(values);
      await removeClient(store, positionals[0]!, positionals[1]!);
      await auditAdminChange(config, positionals[0]!.toLowerCase(), "client.remove", { client_id: positionals[1] });
      console.log(`client ${positionals[1]} removed`);
      return;
    }
    default:
      throw new CliError(USAGE);
  }
}
