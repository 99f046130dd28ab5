import type { AuditLog } from "../audit/index.ts";
import type { Config } from "../config/index.ts";
import type { Keyring } from "../keys/index.ts";
import type { AttemptLimiter, WalletVerifier } from "../login/index.ts";
import type { Mailer } from "../mail/index.ts";
import type { Store, Tenant } from "../store/index.ts";

/** The long-lived services every endpoint receives, built once at start. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly keyring: Keyring;
  readonly audit: AuditLog;
  readonly loginFailures: AttemptLimiter;
  readonly mailer: Mailer;
  /** Requests that send mail (recovery, sign-in links) per client IP and per tenant and address. */
  readonly mailRequestsByIp: AttemptLimiter;
  readonly mailRequestsByAddress: AttemptLimiter;
  /** The EU Wallet verifier (OpenID4VP), shared by the sign-in page and the verifier API. */
  readonly wallet: WalletVerifier;
}

/** What the HTTP layer resolved for one request. */
export interface RequestContext {
  readonly tenant: Tenant;
  /** The exact origin the client used (scheme, host, port): the issuer for this request. */
  readonly issuer: string;
  readonly ip: string;
  /** The client asked for JSON (Accept: application/json). */
  readonly wantsJson: boolean;
}
