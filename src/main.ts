#!/usr/bin/env bun
import { clientCommand } from "./cli/client.ts";
import { CliError } from "./cli/cli-error.ts";
import { keysCommand } from "./cli/keys.ts";
import { tenantCommand } from "./cli/tenant.ts";
import { userCommand } from "./cli/user.ts";
import { ConfigError } from "./config/index.ts";
import { TenantInputError } from "./tenant/index.ts";

const USAGE = `sigil: a single-binary OpenID Connect provider

usage: sigil serve [--data DIR] [--port N] [--listen ADDR] [--config FILE] [--trust-proxy[=HOPS|PROXY,...]] [--body-timeout S] [--smtp-url URL] [--smtp-from ADDR]
                   [--metrics-listen ADDR:PORT] [--log-format text|json] [--log-level debug|info|warn|error]
       sigil backup --to FILE | restore --from FILE [--force]
       sigil tenant add HOST [--realm REALM] [--origin URL] | tenant list | tenant origin HOST URL|--clear | tenant mail HOST ...
       sigil user add|list|set-password|disable|remove|reset-totp ...
       sigil client add|list|remove ...
       sigil keys rotate|list HOST
       sigil trust add HOST --cert PEM [--leaf] | trust list HOST | trust remove HOST FINGERPRINT
       sigil verifier set-cert HOST --cert PEM --key PEM | verifier set HOST ... | verifier show HOST
every command takes --data DIR (or SIGIL_DATA; default ./data)`;

/** Options every command takes may come before the command too (`sigil --data D tenant list`): move them after it. */
function commonOptionsLast(argv: string[]): string[] {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length) {
    const arg = argv[index]!;
    if (/^--(data|config)=/.test(arg)) {
      leading.push(arg);
      index += 1;
    } else if ((arg === "--data" || arg === "--config") && index + 1 < argv.length) {
      leading.push(arg, argv[index + 1]!);
      index += 2;
    } else {
      break;
    }
  }
  return [...argv.slice(index), ...leading];
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = commonOptionsLast(argv);
  switch (command) {
    // Loaded on demand: the other commands need neither the HTTP app nor the web assets, nor the wallet verifier's engine.
    case "serve": return (await import("./cli/serve.ts")).serveCommand(commonOptionsLast(argv).slice(1));
    case "tenant": return tenantCommand(sub, rest);
    case "user": return userCommand(sub, rest);
    case "client": return clientCommand(sub, rest);
    case "keys": return keysCommand(sub, rest);
    case "backup": return (await import("./cli/backup.ts")).backupCommand(commonOptionsLast(argv).slice(1));
    case "restore": return (await import("./cli/restore.ts")).restoreCommand(commonOptionsLast(argv).slice(1));
    // These use the wallet verifier's engine, whose @peculiar/x509 needs the Reflect polyfill first.
    case "trust": return import("reflect-metadata").then(() => import("./cli/trust.ts")).then((cli) => cli.trustCommand(sub, rest));
    case "verifier": return import("reflect-metadata").then(() => import("./cli/verifier.ts")).then((cli) => cli.verifierCommand(sub, rest));
    case "help": case "--help": case "-h": case undefined:
      console.log(USAGE);
      return;
    default:
      throw new CliError(`unknown command "${command}"; try sigil --help`);
  }
}

// Every file Sigil creates (store, WAL, keys, audit, outbox) is readable by its owner only.
process.umask(0o077);

// A promise chain, not top-level await: the executable is compiled to bytecode, which needs that.
main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof TenantInputError) {
    console.error(`sigil: ${error.message}`);
    process.exit(2);
  }
  console.error(`sigil: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
