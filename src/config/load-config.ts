import { readFileSync } from "node:fs";
import { DEFAULTS, ENVIRONMENT_NAMES, type Config } from "./schema.ts";
import { parseTrustProxy } from "./trust-proxy-setting.ts";

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Overrides = Partial<Record<keyof Config, string | boolean | number | null | undefined>>;

/**
 * Reads the configuration once: defaults, then the JSON file (`--config` or
 * SIGIL_CONFIG), then the environment, then command-line flags. The result is frozen.
 */
export function loadConfig(flags: Overrides & { configFile?: string | undefined } = {}, env: Record<string, string | undefined> = process.env): Config {
  const merged: Record<string, unknown> = { ...DEFAULTS };
  const configFile = flags.configFile ?? env.SIGIL_CONFIG;
  if (configFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(configFile, "utf8"));
    } catch (error) {
      throw new ConfigError(`cannot read config file ${configFile}: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${configFile} must hold a JSON object`);
    for (const [key, value] of Object.entries(parsed)) {
      if (!(key in DEFAULTS)) throw new ConfigError(`config file ${configFile}: unknown setting "${key}"`);
      merged[key] = value;
    }
  }
  for (const key of Object.keys(DEFAULTS) as (keyof Config)[]) {
    const fromEnv = env[ENVIRONMENT_NAMES[key]];
    if (fromEnv !== undefined && fromEnv !== "") merged[key] = fromEnv;
    const fromFlag = flags[key];
    if (fromFlag !== undefined && fromFlag !== null) merged[key] = fromFlag;
  }
  return Object.freeze(coerce(merged));
}

function coerce(raw: Record<string, unknown>): Config {
  const integer = (key: keyof Config, min: number, max: number): number => {
    const value = Number(raw[key]);
    if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${key} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const bool = (key: keyof Config): boolean => {
    const value = raw[key];
    if (typeof value === "boolean") return value;
    if (value === "1" || value === "true" || value === "yes") return true;
    if (value === "0" || value === "false" || value === "no" || value === "") return false;
    throw new ConfigError(`${key} must be true or false`);
  };
  const oneOf = <T extends string>(key: keyof Config, values: readonly T[]): T => {
    const value = String(raw[key]);
    if (!values.includes(value as T)) throw new ConfigError(`${key} must be one of ${values.join(", ")}`);
    return value as T;
  };
  const masterKey = raw.masterKey === null || raw.masterKey === undefined ? null : String(raw.masterKey);
  if (masterKey !== null && !/^[A-Za-z0-9_-]{43,}$/.test(masterKey)) throw new ConfigError("masterKey must be base64url of at least 32 bytes");
  const smtpUrl = raw.smtpUrl === null || raw.smtpUrl === undefined ? null : String(raw.smtpUrl);
  if (smtpUrl !== null && !/^smtps?:\/\/[^/\s]+$/.test(smtpUrl.replace(/\/$/, ""))) throw new ConfigError("smtpUrl must look like smtp://[user:pass@]host:port or smtps://...");
  const smtpFrom = String(raw.smtpFrom);
  const trustProxy = parseTrustProxy(raw.trustProxy);
  if (typeof trustProxy === "string") throw new ConfigError(trustProxy);
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(smtpFrom)) throw new ConfigError("smtpFrom must be an email address");
  return {
    dataDir: String(raw.dataDir),
    store: storeSetting(raw.store),
    port: integer("port", 0, 65535),
    listen: String(raw.listen),
    trustProxy,
    masterKey,
    codeTtl: integer("codeTtl", 5, 600),
    accessTokenTtl: integer("accessTokenTtl", 60, 86400),
    refreshTokenTtl: integer("refreshTokenTtl", 60, 365 * 86400),
    ssoTtl: integer("ssoTtl", 60, 86400),
    loginFailureLimit: integer("loginFailureLimit", 1, 100000),
    loginFailureWindow: integer("loginFailureWindow", 1, 86400),
    maxBodyBytes: integer("maxBodyBytes", 1024, 16 * 1024 * 1024),
    bodyTimeout: integer("bodyTimeout", 1, 300),
    smtpUrl,
    smtpFrom,
    walletTtl: integer("walletTtl", 30, 3600),
    allowHttpFetch: bool("allowHttpFetch"),
    allowPrivateFetch: bool("allowPrivateFetch"),
    walletDcApiUnencrypted: bool("walletDcApiUnencrypted"),
    mailLimitPerIp: integer("mailLimitPerIp", 1, 1_000_000),
    mailLimitPerAddress: integer("mailLimitPerAddress", 1, 1_000_000),
    startLimitPerIp: integer("startLimitPerIp", 1, 1_000_000),
    startLimitPerTenant: integer("startLimitPerTenant", 1, 10_000_000),
    liveTransactionCap: integer("liveTransactionCap", 1, 10_000_000),
    reauthenticationWindow: integer("reauthenticationWindow", 1, 86400),
    metricsListen: metricsListen(raw.metricsListen),
    logFormat: oneOf("logFormat", ["text", "json"] as const),
    logLevel: oneOf("logLevel", ["debug", "info", "warn", "error"] as const),
  };
}

/** ADDR:PORT ([v6]:PORT for IPv6); a bare port means loopback only, since metrics are for the operator, not the world. */
function metricsListen(raw: unknown): string | null {
  if (raw === null || raw === undefined || raw === "" || raw === false) return null;
  const text = String(raw);
  const withHost = /^\d+$/.test(text) ? `127.0.0.1:${text}` : text;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(withHost);
  if (!match || Number(match[2]) > 65535) throw new ConfigError("metricsListen must be ADDR:PORT, e.g. 127.0.0.1:9464");
  return withHost;
}

/** `store`: unset (SQLite in the data directory) or a PostgreSQL URL; anything else is a mistake said at start. */
function storeSetting(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const text = String(value);
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || !/^postgres(ql)?:$/.test(url.protocol) || !url.hostname) {
    throw new ConfigError("store must be a PostgreSQL URL such as postgres://sigil@db.internal/sigil (unset: SQLite in the data directory)");
  }
  return text;
}

