/**
 * Every setting Sigil reads, with its documented default. A setting comes from
 * (highest first) a command-line flag, an environment variable, the JSON config
 * file, then the default here.
 */
export interface Config {
  /** Data directory: the SQLite store, the master key, per-tenant audit logs. */
  readonly dataDir: string;
  /** TCP port to listen on. */
  readonly port: number;
  /** Address to listen on. */
  readonly listen: string;
  /** Honour X-Forwarded-Host / X-Forwarded-Proto / X-Forwarded-For (only behind a proxy you control). */
  readonly trustProxy: boolean;
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
  /** Global SMTP server, smtp://[user:pass@]host:port (STARTTLS when offered) or smtps:// (implicit TLS); null: mail goes to DATA/outbox. */
  readonly smtpUrl: string | null;
  /** The From address of every message (the tenant's name is its display name). */
  readonly smtpFrom: string;
  /** Lifetime of an EU Wallet presentation transaction, seconds. */
  readonly walletTtl: number;
  /** Let the verifier fetch status lists over plain HTTP (development and tests only). */
  readonly allowHttpFetch: boolean;
}

export const DEFAULTS: Config = Object.freeze({
  dataDir: "./data",
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
  smtpUrl: null,
  smtpFrom: "sigil@localhost",
  walletTtl: 300,
  allowHttpFetch: false,
});

/** Environment variable for each setting. */
export const ENVIRONMENT_NAMES: Record<keyof Config, string> = {
  dataDir: "SIGIL_DATA",
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
  smtpUrl: "SIGIL_SMTP_URL",
  smtpFrom: "SIGIL_SMTP_FROM",
  walletTtl: "SIGIL_WALLET_TTL",
  allowHttpFetch: "SIGIL_ALLOW_HTTP_FETCH",
};
