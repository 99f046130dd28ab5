import { createApp } from "../app.ts";
import { AuditLog } from "../audit/index.ts";
import { loadConfig } from "../config/index.ts";
import { AttemptLimiter, WalletVerifier } from "../login/index.ts";
import { createMailer, createMailRouter } from "../mail/index.ts";
import { openSqliteStore } from "../store/index.ts";
import { addTenant, issueSetupToken, smtpBinding } from "../tenant/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { parseCommand } from "./args.ts";
import { openKeyring } from "./open-data.ts";

const FIRST_TENANT = "localhost";
/** Requests that send mail (recovery, sign-in links) allowed per window: per client IP, and per tenant and address. */
const MAIL_REQUESTS_PER_IP = 10;
const MAIL_REQUESTS_PER_ADDRESS = 3;
const MAIL_WINDOW = 15 * 60;

/** sigil serve [--data DIR] [--port N] [--listen ADDR] [--config FILE] [--trust-proxy] [--smtp-url URL] [--smtp-from ADDR] [--wallet-ttl S] [--allow-http-fetch] */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, {
    port: { type: "string" }, listen: { type: "string" }, "trust-proxy": { type: "boolean" }, "smtp-url": { type: "string" }, "smtp-from": { type: "string" },
    "wallet-ttl": { type: "string" }, "allow-http-fetch": { type: "boolean" },
  }, []);
  const config = loadConfig({
    dataDir: values.data, configFile: values.config, port: values.port, listen: values.listen, trustProxy: values["trust-proxy"],
    smtpUrl: values["smtp-url"], smtpFrom: values["smtp-from"], walletTtl: values["wallet-ttl"], allowHttpFetch: values["allow-http-fetch"],
  });
  const store = openSqliteStore(config.dataDir);
  const keyring = await openKeyring(config, store);
  const audit = new AuditLog(config.dataDir);
  const globalMail = createMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom, dataDir: config.dataDir });
  // A tenant's own SMTP server and From address (sigil tenant mail) win over the global ones.
  const mailer = createMailRouter(async (host) => {
    const mail = (await store.tenants.get(host))?.mail;
    const smtpUrl = mail?.sealedSmtpUrl ? await keyring.openSecret(smtpBinding(host), mail.sealedSmtpUrl) : config.smtpUrl;
    return { smtpUrl, from: mail?.from ?? config.smtpFrom };
  }, config.dataDir, () => `${globalMail.describe()}; tenants may set their own (sigil tenant mail)`);
  const services = {
    config, store, keyring, audit, mailer,
    loginFailures: new AttemptLimiter(config.loginFailureLimit, config.loginFailureWindow),
    mailRequestsByIp: new AttemptLimiter(MAIL_REQUESTS_PER_IP, MAIL_WINDOW),
    mailRequestsByAddress: new AttemptLimiter(MAIL_REQUESTS_PER_ADDRESS, MAIL_WINDOW),
    wallet: new WalletVerifier(store, keyring, config),
  };

  const firstRun = (await store.tenants.list()).length === 0;
  if (firstRun) await addTenant(store, FIRST_TENANT);

  const app = createApp(services).listen({ port: config.port, hostname: config.listen });
  const port = app.server?.port ?? config.port;
  const shownHost = config.listen === "0.0.0.0" || config.listen === "::" ? "localhost" : config.listen;
  console.log(`sigil listening on http://${shownHost}:${port}`);
  console.log(`mail: ${mailer.describe()}`);

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
