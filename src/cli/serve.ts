import { createApp } from "../app.ts";
import { AuditLog } from "../audit/index.ts";
import { loadConfig } from "../config/index.ts";
import { TaskQueue } from "../lib/task-queue.ts";
import { AttemptLimiter } from "../lib/rate-limiter.ts";
import { PASSWORD_THROTTLE, SECOND_FACTOR_THROTTLE, storeThrottle } from "../login/index.ts";
import { WalletVerifier } from "../verifier/index.ts";
import type { Tenant } from "../store/index.ts";
import { createMailer, createMailRouter } from "../mail/index.ts";
import { openSqliteStore } from "../store/index.ts";
import { addTenant, issueSetupToken, smtpBinding } from "../tenant/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { parseCommand } from "./args.ts";
import { openKeyring } from "./open-data.ts";

const FIRST_TENANT = "localhost";
/** The window of the mail request limits (config mailLimitPerIp, mailLimitPerAddress). */
const MAIL_WINDOW = 15 * 60;
/** The window of the limits on starts that make the store hold a row (config startLimitPerIp, startLimitPerTenant). */
const STARTS_WINDOW = 60;

/** sigil serve [--data DIR] [--port N] [--listen ADDR] [--config FILE] [--trust-proxy [HOPS|ADDR,CIDR,...]] [--body-timeout S] [--smtp-url URL] [--smtp-from ADDR] [--wallet-ttl S] [--allow-http-fetch] [--allow-private-fetch] */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(bareFlagMeans(args, "--trust-proxy", "true"), {
    port: { type: "string" }, listen: { type: "string" }, "trust-proxy": { type: "string" }, "body-timeout": { type: "string" },
    "smtp-url": { type: "string" }, "smtp-from": { type: "string" }, "wallet-ttl": { type: "string" }, "allow-http-fetch": { type: "boolean" }, "allow-private-fetch": { type: "boolean" },
  }, []);
  const config = loadConfig({
    dataDir: values.data, configFile: values.config, port: values.port, listen: values.listen, trustProxy: values["trust-proxy"], bodyTimeout: values["body-timeout"],
    smtpUrl: values["smtp-url"], smtpFrom: values["smtp-from"], walletTtl: values["wallet-ttl"], allowHttpFetch: values["allow-http-fetch"],
    allowPrivateFetch: values["allow-private-fetch"],
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
    mailRequestsByIp: new AttemptLimiter(config.mailLimitPerIp, MAIL_WINDOW),
    mailRequestsByAddress: new AttemptLimiter(config.mailLimitPerAddress, MAIL_WINDOW),
    wallet: new WalletVerifier(store, keyring, config),
    passwordThrottle: storeThrottle(store, PASSWORD_THROTTLE),
    secondFactorThrottle: storeThrottle(store, SECOND_FACTOR_THROTTLE),
    startsByIp: new AttemptLimiter(config.startLimitPerIp, STARTS_WINDOW),
    startsByTenant: new AttemptLimiter(config.startLimitPerTenant, STARTS_WINDOW),
    background: new TaskQueue(),
    canonicalOrigin: (tenant: Tenant) => tenant.origin ?? derivedOrigin(tenant.host, listeningPort),
  };

  let listeningPort = config.port;
  const firstRun = (await store.tenants.list()).length === 0;
  if (firstRun) await addTenant(store, FIRST_TENANT);

  const app = createApp(services).listen({ port: config.port, hostname: config.listen });
  const port = app.server?.port ?? config.port;
  listeningPort = port;
  const shownHost = config.listen === "0.0.0.0" || config.listen === "::" ? "localhost" : config.listen;
  console.log(`sigil listening on http://${shownHost}:${port}`);
  console.log(`mail: ${mailer.describe()}`);
  if (config.trustProxy) {
    const trusted = "hops" in config.trustProxy ? `the last ${config.trustProxy.hops} proxy hop(s)` : `proxies ${config.trustProxy.proxies.join(", ")}`;
    console.log(`proxy: X-Forwarded-For/-Host/-Proto trusted from ${trusted}`);
  }

  if (await store.tenants.get(FIRST_TENANT)) {
    const token = await issueSetupToken(store, FIRST_TENANT);
    if (token) console.log(`first admin: set a password at http://localhost:${port}/setup.html#token=${token} (works once, for 24 hours)`);
  }

  const sweeper = setInterval(() => void store.sweep(nowSeconds()).catch((error) => console.error("sweep failed:", error)), 60_000);
  sweeper.unref();
  const stop = async () => {
    clearInterval(sweeper);
    await app.stop();
    await services.background.whenIdle();
    await audit.flush();
    store.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

/**
 * Where mailed links of a tenant without a configured origin point: https on its host name, or, for a
 * loopback or .localhost host (development), plain http on the port this server listens on. Never the
 * Host or X-Forwarded-* of the request that asked for the mail.
 */
export function derivedOrigin(host: string, port: number): string {
  const local = host === "localhost" || host.endsWith(".localhost") || /^[\d.]+$/.test(host) || host.includes(":");
  return local ? `http://${host}:${port}` : `https://${host}`;
}

/** `--trust-proxy` alone means one hop, as it always did; parseArgs knows no optional values, so a bare flag gets one. */
function bareFlagMeans(args: string[], flag: string, value: string): string[] {
  return args.map((arg, index) => (arg === flag && (index + 1 === args.length || args[index + 1]!.startsWith("-")) ? `${flag}=${value}` : arg));
}
