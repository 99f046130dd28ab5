import { createApp } from "../app.ts";
import { AuditLog } from "../audit/index.ts";
import { loadConfig } from "../config/index.ts";
import { TaskQueue } from "../lib/task-queue.ts";
import { PASSWORD_THROTTLE, SECOND_FACTOR_THROTTLE, storeAttemptLimit, storeThrottle } from "../login/index.ts";
import { WalletVerifier } from "../verifier/index.ts";
import { TrustedListRefresher } from "../verifier/trusted-list-refresh.ts";
import type { Tenant } from "../store/index.ts";
import { createMailer, createMailRouter } from "../mail/index.ts";
import { describeStore, openStore } from "../store/index.ts";
import { addTenant, issueSetupToken, smtpBinding, TenantInputError } from "../tenant/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { AddressInUseError, serveHttp, type RunningServer } from "../runtime/serve.ts";
import { loggerFor } from "../http/log.ts";
import { withOperations } from "../http/operations.ts";
import { createMetrics, metricsHandler, timeStore, type Metrics } from "../metrics/index.ts";
import { checkMasterKey } from "./check-master-key.ts";
import { CliError } from "./cli-error.ts";
import { parseCommand } from "./args.ts";
import { openKeyring } from "./open-data.ts";

const FIRST_TENANT = "localhost";
/** The window of the mail request limits (config mailLimitPerIp, mailLimitPerAddress). */
const MAIL_WINDOW = 15 * 60;
/** The window of the limits on starts that make the store hold a row (config startLimitPerIp, startLimitPerTenant). */
const STARTS_WINDOW = 60;

/** sigil serve [--data DIR] [--store postgres://USER@HOST/DB] [--port N] [--listen ADDR] [--config FILE] [--trust-proxy [HOPS|ADDR,CIDR,...]] [--body-timeout S] [--smtp-url URL] [--smtp-from ADDR] [--wallet-ttl S] [--allow-http-fetch] [--allow-private-fetch] [--metrics-listen ADDR:PORT] [--log-format text|json] [--log-level debug|info|warn|error] */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(bareFlagMeans(args, "--trust-proxy", "true"), {
    port: { type: "string" }, listen: { type: "string" }, "trust-proxy": { type: "string" }, "body-timeout": { type: "string" },
    "smtp-url": { type: "string" }, "smtp-from": { type: "string" }, "wallet-ttl": { type: "string" }, "allow-http-fetch": { type: "boolean" }, "allow-private-fetch": { type: "boolean" },
    "metrics-listen": { type: "string" }, "log-format": { type: "string" }, "log-level": { type: "string" },
  }, []);
  const config = loadConfig({
    dataDir: values.data, configFile: values.config, store: values.store, port: values.port, listen: values.listen, trustProxy: values["trust-proxy"], bodyTimeout: values["body-timeout"],
    smtpUrl: values["smtp-url"], smtpFrom: values["smtp-from"], walletTtl: values["wallet-ttl"], allowHttpFetch: values["allow-http-fetch"],
    allowPrivateFetch: values["allow-private-fetch"], metricsListen: values["metrics-listen"], logFormat: values["log-format"], logLevel: values["log-level"],
  });
  // Metrics cost nothing unless asked for: without a listener, neither the store nor the audit log is wrapped.
  const metrics = config.metricsListen ? createMetrics() : null;
  // A server follows other processes' changes to the rows it caches (other nodes, CLI commands).
  const openedStore = openStore(config, { follow: true });
  await checkMasterKey(config, openedStore);
  const store = metrics ? timeStore(openedStore, metrics.observeStore) : openedStore;
  const keyring = await openKeyring(config, store);
  const audit = new AuditLog(config.dataDir, metrics?.observeAudit);
  const globalMail = createMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom, dataDir: config.dataDir });
  // A tenant's own SMTP server and From address (sigil tenant mail) win over the global ones.
  const mailer = createMailRouter(async (host) => {
    const mail = (await store.tenants.get(host))?.mail;
    const smtpUrl = mail?.sealedSmtpUrl ? await keyring.openSecret(smtpBinding(host), mail.sealedSmtpUrl) : config.smtpUrl;
    return { smtpUrl, from: mail?.from ?? config.smtpFrom };
  }, config.dataDir, () => `${globalMail.describe()}; tenants may set their own (sigil tenant mail)`);
  const services = {
    config, store, keyring, audit, mailer,
    // Kept in the store, so that every node behind a load balancer counts the same attempts.
    loginFailures: storeAttemptLimit(store, "login-failure", config.loginFailureLimit, config.loginFailureWindow),
    mailRequestsByIp: storeAttemptLimit(store, "mail-ip", config.mailLimitPerIp, MAIL_WINDOW),
    mailRequestsByAddress: storeAttemptLimit(store, "mail-subject", config.mailLimitPerAddress, MAIL_WINDOW),
    wallet: new WalletVerifier(store, keyring, config),
    passwordThrottle: storeThrottle(store, PASSWORD_THROTTLE),
    secondFactorThrottle: storeThrottle(store, SECOND_FACTOR_THROTTLE),
    startsByIp: storeAttemptLimit(store, "start-ip", config.startLimitPerIp, STARTS_WINDOW),
    startsByTenant: storeAttemptLimit(store, "start-tenant", config.startLimitPerTenant, STARTS_WINDOW),
    background: new TaskQueue(),
    canonicalOrigin: (tenant: Tenant) => tenant.origin ?? derivedOrigin(tenant.host, listeningPort),
  };

  let listeningPort = config.port;
  const firstRun = (await store.tenants.list()).length === 0;
  // Nodes started together on an empty shared store may both see it empty: the one that loses the race finds the tenant made.
  if (firstRun) await addTenant(store, FIRST_TENANT).catch((error: unknown) => {
    if (!(error instanceof TenantInputError && error.kind === "conflict")) throw error;
  });

  const app = createApp(services);
  const server = listenOrExplain(`port ${config.port} is in use`, () => serveHttp({
    fetch: withOperations(app.fetch, { config, store, logger: loggerFor(config), routes: app.routes, ...(metrics ? { observe: metrics.observeRequest } : {}) }),
    port: config.port,
    hostname: config.listen,
    // Bun's own ceiling stays far above Sigil's limit, so that oversized bodies reach
    // read-params and get a JSON 413 instead of an empty one; only absurd sizes stop at Bun.
    maxRequestBodySize: Math.max(32 * 1024 * 1024, config.maxBodyBytes * 4),
  }));
  const metricsServer = metrics && config.metricsListen ? startMetricsListener(metrics, config.metricsListen) : null;
  const port = server.port;
  listeningPort = port;
  const shownHost = config.listen === "0.0.0.0" || config.listen === "::" ? "localhost" : config.listen;
  console.log(`sigil listening on http://${shownHost}:${port}`);
  console.log(`mail: ${mailer.describe()}`);
  console.log(`store: ${describeStore(config)}`);
  if (config.trustProxy) {
    const trusted = "hops" in config.trustProxy ? `the last ${config.trustProxy.hops} proxy hop(s)` : `proxies ${config.trustProxy.proxies.join(", ")}`;
    console.log(`proxy: X-Forwarded-For/-Host/-Proto trusted from ${trusted}`);
  }
  if (metricsServer) console.log(`metrics: http://${config.metricsListen!.replace(/:\d+$/, "")}:${metricsServer.port}/metrics`);

  if (await store.tenants.get(FIRST_TENANT)) {
    const token = await issueSetupToken(store, FIRST_TENANT);
    if (token) console.log(`first admin: set a password at http://localhost:${port}/setup.html#token=${token} (works once, for 24 hours)`);
  }

  const sweeper = setInterval(() => void store.sweep(nowSeconds()).catch((error) => console.error("sweep failed:", error)), 60_000);
  sweeper.unref();
  // Subscribed trusted lists (sigil trust list-add) are fetched and verified now and kept current.
  const trustedLists = new TrustedListRefresher(store, config, audit);
  services.wallet.trustedListRefresher = trustedLists;
  trustedLists.start();
  const stop = async () => {
    clearInterval(sweeper);
    trustedLists.stop();
    await server.stop();
    await metricsServer?.stop();
    await services.background.whenIdle();
    await audit.flush();
    store.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

/** Listens on the metrics address (ADDR:PORT, [v6]:PORT), with the same serve as the app, so it works on Bun and Deno alike. */
function startMetricsListener(metrics: Metrics, listen: string): RunningServer {
  const split = listen.lastIndexOf(":");
  const hostname = listen.slice(0, split).replace(/^\[(.*)\]$/, "$1");
  const port = Number(listen.slice(split + 1));
  return listenOrExplain(`port ${port} is in use (metricsListen ${listen})`, () => serveHttp({ fetch: metricsHandler(metrics), port, hostname, maxRequestBodySize: 64 * 1024 }));
}

/** A taken port is the operator's to fix: one line naming it, no stack. */
function listenOrExplain(inUse: string, listen: () => RunningServer): RunningServer {
  try {
    return listen();
  } catch (error) {
    if (error instanceof AddressInUseError) throw new CliError(`${inUse}: stop whatever holds it or choose another`);
    throw error;
  }
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
