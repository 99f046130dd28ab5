/**
 * Every setting Sigil reads, with its documented default. A setting comes from
 * (highest first) a command-line flag, an environment variable, the JSON config
 * file, then the default here.
 */
/**
 * Whose forwarded headers count. `hops`: that many proxies stand in front of Sigil, so the client is
 * that many addresses from the right of X-Forwarded-For plus the socket peer. `proxies`: addresses
 * and CIDR ranges (IPv4 or IPv6) of the proxies; forwarded headers count only from one of them.
 */
export type TrustProxy = false | { readonly hops: number } | { readonly proxies: readonly string[] };

export interface Config {
  /** Data directory: the SQLite store, the master key, per-tenant audit logs. */
  readonly dataDir: string;
  /**
   * Where the store lives: a PostgreSQL URL (postgres://user[:password]@host[:port]/database), which any
   * number of Sigil processes may share; null: SQLite in the data directory (one process).
   */
  readonly store: string | null;
  /** TCP port to listen on. */
  readonly port: number;
  /** Address to listen on. */
  readonly listen: string;
  /** Which proxies' X-Forwarded-For / -Host / -Proto count (only proxies you control): none, the last N hops, or the listed addresses. */
  readonly trustProxy: TrustProxy;
  /** Master secret (base64url, >= 32 bytes) that encrypts private keys at rest; when unset, DATA/master.key (0600) is used or made. */
  readonly masterKey: string | null;
  /** Authorization code lifetime, seconds. */
  readonly codeTtl: number;
  /** Access token and id_token lifetime, seconds. */
  readonly accessTokenTtl: number;
  /** Default refresh token lifetime, seconds (a client may set its own). */
  readonly refreshTokenTtl: number;
  /** Lifetime of the single sign-on assertion the login page keeps in localStorage, seconds. */
  readonly ssoTtl: number;
  /** Failed sign-ins from one IP allowed within the window before every attempt gets 429. */
  readonly loginFailureLimit: number;
  /** The failed sign-in window, seconds. */
  readonly loginFailureWindow: number;
  /** Largest request body accepted, bytes. */
  readonly maxBodyBytes: number;
  /** Seconds a request body may take to arrive in full before the request gets 400 and the connection is closed. */
  readonly bodyTimeout: number;
  /** Global SMTP server, smtp://[user:pass@]host:port (STARTTLS when offered) or smtps:// (implicit TLS); null: mail goes to DATA/outbox. */
  readonly smtpUrl: string | null;
  /** The From address of every message (the tenant's name is its display name). */
  readonly smtpFrom: string;
  /** Lifetime of an EU Wallet presentation transaction, seconds. */
  readonly walletTtl: number;
  /** Let the verifier fetch status lists over plain HTTP (development and tests only). */
  readonly allowHttpFetch: boolean;
  /** Let the verifier fetch status lists from loopback, private and link-local addresses (development and tests only). */
  readonly allowPrivateFetch: boolean;
  /** Let a Digital Credentials API presentation come back unencrypted (response_mode dc_api); off: dc_api.jwt only, as HAIP 1.0 requires. */
  readonly walletDcApiUnencrypted: boolean;
  /** Requests that send mail (recovery link, sign-in link, sign-in code) per client IP per 15 minutes. */
  readonly mailLimitPerIp: number;
  /** The same per tenant and address (or pending login) per 15 minutes. */
  readonly mailLimitPerAddress: number;
  /** Unauthenticated starts that make the store hold a row (wallet sign-ins, passkey prompts) per client IP per minute. */
  readonly startLimitPerIp: number;
  /** The same per tenant per minute. */
  readonly startLimitPerTenant: number;
  /** Live (unexpired) wallet transactions, and passkey challenges, a tenant may hold at once. */
  readonly liveTransactionCap: number;
  /** How recent a sign-in must be for the account page to change how the account signs in, seconds. */
  readonly reauthenticationWindow: number;
  /** Where GET /metrics (Prometheus text) is served, ADDR:PORT, on its own listener; null: no metrics listener. */
  readonly metricsListen: string | null;
  /** How log records are written: `text` (key=value) or `json` (one object a line). */
  readonly logFormat: LogFormat;
  /** The least severe record written: every request is logged at `info`, unexpected errors at `error`. */
  readonly logLevel: LogLevel;
}

export type LogFormat = "text" | "json";
export type LogLevel = "debug" | "info" | "warn" | "error";

export const DEFAULTS: Config = Object.freeze({
  dataDir: "./data",
  store: null,
  port: 8080,
  listen: "0.0.0.0",
  trustProxy: false,
  masterKey: null,
  codeTtl: 60,
  accessTokenTtl: 3600,
  refreshTokenTtl: 4 * 3600,
  ssoTtl: 30 * 60,
  loginFailureLimit: 10,
  loginFailureWindow: 60,
  maxBodyBytes: 64 * 1024,
  bodyTimeout: 10,
  smtpUrl: null,
  smtpFrom: "sigil@localhost",
  walletTtl: 300,
  allowHttpFetch: false,
  allowPrivateFetch: false,
  walletDcApiUnencrypted: false,
  mailLimitPerIp: 10,
  mailLimitPerAddress: 3,
  startLimitPerIp: 60,
  startLimitPerTenant: 600,
  liveTransactionCap: 10_000,
  reauthenticationWindow: 600,
  metricsListen: null,
  logFormat: "text",
  logLevel: "info",
});

/** Environment variable for each setting. */
export const ENVIRONMENT_NAMES: Record<keyof Config, string> = {
  dataDir: "SIGIL_DATA",
  store: "SIGIL_STORE",
  port: "SIGIL_PORT",
  listen: "SIGIL_LISTEN",
  trustProxy: "SIGIL_TRUST_PROXY",
  masterKey: "SIGIL_MASTER_KEY",
  codeTtl: "SIGIL_CODE_TTL",
  accessTokenTtl: "SIGIL_ACCESS_TOKEN_TTL",
  refreshTokenTtl: "SIGIL_REFRESH_TOKEN_TTL",
  ssoTtl: "SIGIL_SSO_TTL",
  loginFailureLimit: "SIGIL_LOGIN_FAILURE_LIMIT",
  loginFailureWindow: "SIGIL_LOGIN_FAILURE_WINDOW",
  maxBodyBytes: "SIGIL_MAX_BODY_BYTES",
  bodyTimeout: "SIGIL_BODY_TIMEOUT",
  smtpUrl: "SIGIL_SMTP_URL",
  smtpFrom: "SIGIL_SMTP_FROM",
  walletTtl: "SIGIL_WALLET_TTL",
  allowHttpFetch: "SIGIL_ALLOW_HTTP_FETCH",
  allowPrivateFetch: "SIGIL_ALLOW_PRIVATE_FETCH",
  walletDcApiUnencrypted: "SIGIL_WALLET_DC_API_UNENCRYPTED",
  mailLimitPerIp: "SIGIL_MAIL_LIMIT_PER_IP",
  mailLimitPerAddress: "SIGIL_MAIL_LIMIT_PER_ADDRESS",
  startLimitPerIp: "SIGIL_START_LIMIT_PER_IP",
  startLimitPerTenant: "SIGIL_START_LIMIT_PER_TENANT",
  liveTransactionCap: "SIGIL_LIVE_TRANSACTION_CAP",
  reauthenticationWindow: "SIGIL_REAUTHENTICATION_WINDOW",
  metricsListen: "SIGIL_METRICS_LISTEN",
  logFormat: "SIGIL_LOG_FORMAT",
  logLevel: "SIGIL_LOG_LEVEL",
};
