import { createApp } from "../app.ts";
import { AuditLog } from "../audit/index.ts";
import { loadConfig } from "../config/index.ts";
import { FailureRateLimiter } from "../login/index.ts";
import { openSqliteStore } from "../store/index.ts";
import { addTenant, issueSetupToken } from "../tenant/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { parseCommand } from "./args.ts";
import { openKeyring } from "./open-data.ts";

const FIRST_TENANT = "localhost";

/** sigil serve [--data DIR] [--port N] [--listen ADDR] [--config FILE] [--trust-proxy] */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, { port: { type: "string" }, listen: { type: "string" }, "trust-proxy": { type: "boolean" } }, []);
  const config = loadConfig({ dataDir: values.data, configFile: values.config, port: values.port, listen: values.listen, trustProxy: values["trust-proxy"] });
  const store = openSqliteStore(config.dataDir);
  const keyring = await openKeyring(config, store);
  const audit = new AuditLog(config.dataDir);
  const services = { config, store, keyring, audit, loginFailures: new FailureRateLimiter(config.loginFailureLimit, config.loginFailureWindow) };

  const firstRun = (await store.tenants.list()).length === 0;
  if (firstRun) await addTenant(store, FIRST_TENANT);

  const app = createApp(services).listen({ port: config.port, hostname: config.listen });
  const port = app.server?.port ?? config.port;
  const shownHost = config.listen === "0.0.0.0" || config.listen === "::" ? "localhost" : config.listen;
  console.log(`sigil listening on http://${shownHost}:${port}`);

  if (await store.tenants.get(FIRST_TENANT)) {
    const token = await issueSetupToken(store, FIRST_TENANT);
    if (token) console.log(`first admin: set a password at http://localhost:${port}/setup.html#token=${token} (works once, for 24 hours)`);
  }

  const sweeper = setInterval(() => void store.sweep(nowSeconds()).catch((error) => console.error("sweep failed:", error)), 60_000);
  sweeper.unref();
  const stop = async () => {
    clearInterval(sweeper);
    await app.stop();
    await audit.flush();
    store.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}
