import type { AuditLog } from "../audit/index.ts";
import type { Config } from "../config/index.ts";
import type { Keyring } from "../keys/index.ts";
import type { AttemptLimit } from "./attempt-limit.ts";
import type { TaskQueue } from "../lib/task-queue.ts";
import type { WalletVerifier } from "../verifier/index.ts";
import type { Throttle } from "./throttle.ts";
import type { Mailer } from "../mail/index.ts";
import type { Store, Tenant } from "../store/index.ts";

/** The long-lived services every endpoint receives, built once at start. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly keyring: Keyring;
  readonly audit: AuditLog;
  /** Failed sign-ins per client IP (kept in the store, so every node counts them). */
  readonly loginFailures: AttemptLimit;
  readonly mailer: Mailer;
  /** Requests that send mail (recovery, sign-in links) per client IP and per tenant and address. */
  readonly mailRequestsByIp: AttemptLimit;
  readonly mailRequestsByAddress: AttemptLimit;
  /** The EU Wallet verifier (OpenID4VP), shared by the sign-in page and the verifier API. */
  readonly wallet: WalletVerifier;
  /** Wrong passwords per username, and per known device of an account (kept in the store). */
  readonly passwordThrottle: Throttle;
  /** Wrong second-factor codes per account, and per known device (kept in the store). */
  readonly secondFactorThrottle: Throttle;
  /** Unauthenticated starts that make the store hold something (wallet transactions, passkey challenges): per client IP and per tenant. */
  readonly startsByIp: AttemptLimit;
  readonly startsByTenant: AttemptLimit;
  /** Work done after the answer is sent (look-ups and mail whose timing must not show). */
  readonly background: TaskQueue;
  /** The origin mailed links of a tenant point at: its configured one, else derived from its host name. */
  canonicalOrigin(tenant: Tenant): string;
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
