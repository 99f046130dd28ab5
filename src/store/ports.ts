/**
 * The storage ports: small interfaces named after what the domains need.
 * Every method is async so that a PostgreSQL backend can implement them without
 * touching protocol code. Times are integer seconds since the epoch.
 */

export type Role = "admin" | "user" | "siponly" | "guest";
export const ROLES: readonly Role[] = ["admin", "user", "siponly", "guest"];

export interface TenantMail {
  /** The tenant's own SMTP URL, sealed by keys/ (it may carry a password); null: the global server, if any. */
  sealedSmtpUrl: string | null;
  /** The From address for the tenant's mail; null: the global --smtp-from. */
  from: string | null;
  /** `auto`: email sign-in links and codes are offered when an SMTP server (the tenant's or the global one) is set; `off`: never. */
  emailMethods: "auto" | "off";
}

export const DEFAULT_TENANT_MAIL: TenantMail = { sealedSmtpUrl: null, from: null, emailMethods: "auto" };

export interface Tenant {
  host: string;
  realm: string;
  createdAt: number;
  mail: TenantMail;
  /** The origin mailed links point at (e.g. https://login.acme.example); null: derived from the host name. */
  origin: string | null;
}

export interface User {
  tenant: string;
  /** Stable subject identifier, never reused, independent of the username. */
  sub: string;
  username: string;
  /**
   * HA1 = MD5(username:realm:password), sealed by keys/ and bound to this tenant and sub
   * (SIP needs HA1 itself, so it is encrypted rather than hashed); null: no password.
   */
  sealedHa1: string | null;
  role: Role;
  email: string | null;
  name: string | null;
  groups: string[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** Single sign-on assertions carry the epoch they were issued in; raising it ends every one of them. */
  sessionEpoch: number;
}

/** Whether the user can sign in with a password at all (rather than only a passkey, an email link or a wallet). */
export const hasPassword = (user: Pick<User, "sealedHa1">): boolean => user.sealedHa1 !== null;

export type UserPatch = Partial<Pick<User, "sealedHa1" | "role" | "email" | "name" | "groups" | "disabled">>;

export interface Client {
  tenant: string;
  clientId: string;
  /** SHA-256 (base64url) of the client secret; null for a public client. */
  secretHash: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Refresh token lifetime in seconds; null means the server default. */
  refreshTokenTtl: number | null;
  createdAt: number;
}

export type KeyStatus = "active" | "previous" | "retired";

export interface SigningKeyRecord {
  tenant: string;
  kid: string;
  alg: "RS256";
  status: KeyStatus;
  publicJwk: Record<string, unknown>;
  /** The private JWK, encrypted with the master key (keys/ seals and opens it). */
  sealedPrivateKey: string;
  createdAt: number;
}

/** What an authentication established, carried by codes and refresh tokens into tokens. */
export interface GrantContext {
  sub: string;
  scope: string;
  authTime: number;
  amr: string[];
  acr: string;
  /** Extra claims the sign-in method verified (for example a wallet's disclosures). */
  claims: Record<string, unknown>;
}

export interface AuthorizationCodeRecord extends GrantContext {
  tenant: string;
  codeHash: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  nonce: string | null;
  /** The grant (token family) every token minted from this code belongs to. */
  grantId: string;
  expiresAt: number;
}

export type ConsumeResult<T> =
  | { status: "ok"; record: T }
  /** It existed and was already used: the caller revokes what it produced. */
  | { status: "reused"; record: T }
  | { status: "missing" };

export interface RefreshTokenRecord extends GrantContext {
  tenant: string;
  tokenHash: string;
  grantId: string;
  clientId: string;
  expiresAt: number;
  used: boolean;
}

export interface TenantRepo {
  add(tenant: Tenant): Promise<void>;
  get(host: string): Promise<Tenant | null>;
  list(): Promise<Tenant[]>;
  /** Returns false when no such tenant exists. */
  setMail(host: string, mail: TenantMail): Promise<boolean>;
  /** Sets (or, with null, clears) the canonical origin; false when no such tenant exists. */
  setOrigin(host: string, origin: string | null): Promise<boolean>;
}

export interface UserRepo {
  add(user: User): Promise<void>;
  findByUsername(tenant: string, username: string): Promise<User | null>;
  findBySub(tenant: string, sub: string): Promise<User | null>;
  /** Users whose address is `email` (compared case-insensitively). */
  findByEmail(tenant: string, email: string): Promise<User[]>;
  list(tenant: string): Promise<User[]>;
  /** Returns false when no such user exists. */
  update(tenant: string, username: string, patch: UserPatch, now: number): Promise<boolean>;
  remove(tenant: string, username: string): Promise<boolean>;
  countByRole(tenant: string, role: Role): Promise<number>;
  /** The users' secrets an older Sigil stored in the clear (HA1) or unkeyed (recovery-code digests), in every tenant. */
  legacySecrets(): Promise<LegacySecrets>;
  /**
   * Writes their converted forms in one transaction, each only where the row still holds
   * what was read (so a concurrent change wins and a second run does nothing); returns the rows changed.
   */
  convertLegacySecrets(conversion: SecretConversion): Promise<number>;
  /** Ends every single sign-on assertion of the user issued so far; returns the new epoch (null: no such user). */
  raiseSessionEpoch(tenant: string, sub: string): Promise<number | null>;
}

export interface LegacySecrets {
  ha1s: { tenant: string; sub: string; ha1: string }[];
  recoveryCodes: { tenant: string; sub: string; digest: string }[];
}

export interface SecretConversion {
  ha1s: { tenant: string; sub: string; from: string; sealedHa1: string | null }[];
  recoveryCodes: { tenant: string; sub: string; from: string; mac: string }[];
}

export interface ClientRepo {
  add(client: Client): Promise<void>;
  get(tenant: string, clientId: string): Promise<Client | null>;
  list(tenant: string): Promise<Client[]>;
  remove(tenant: string, clientId: string): Promise<boolean>;
}

export interface SigningKeyRepo {
  /** Keys still published (active and previous), active first. */
  listPublished(tenant: string): Promise<SigningKeyRecord[]>;
  /** All of a tenant's keys, retired included, newest first. */
  listAll(tenant: string): Promise<SigningKeyRecord[]>;
  /** Atomically: active becomes previous, previous becomes retired, the new key becomes active. */
  installActive(key: SigningKeyRecord): Promise<void>;
  /** Changes whenever another process has written to the store: a cheap way to notice `keys rotate`. */
  externalChangeMarker(): number;
}

export interface AuthorizationCodeRepo {
  /** Stores the code and opens its grant, in one transaction. */
  save(code: AuthorizationCodeRecord, now: number): Promise<void>;
  /** Marks the code used in one statement, so two concurrent exchanges can never both succeed. */
  consume(tenant: string, codeHash: string): Promise<ConsumeResult<AuthorizationCodeRecord>>;
}

export interface GrantRepo {
  /** Stores a refresh token for a live grant; false if the grant was revoked meanwhile. */
  issueRefreshToken(token: Omit<RefreshTokenRecord, "used">): Promise<boolean>;
  /** Marks a refresh token spent in one statement; a second presentation reports `reused`. */
  consumeRefreshToken(tenant: string, tokenHash: string): Promise<ConsumeResult<RefreshTokenRecord>>;
  findRefreshToken(tenant: string, tokenHash: string): Promise<RefreshTokenRecord | null>;
  revokeGrant(tenant: string, grantId: string, now: number): Promise<void>;
  revokeGrantsOfUser(tenant: string, sub: string, now: number): Promise<number>;
  isGrantRevoked(tenant: string, grantId: string): Promise<boolean>;
  /** The claims the sign-in method verified for this grant (empty for a password). */
  grantClaims(tenant: string, grantId: string): Promise<Record<string, unknown>>;
  revokeAccessToken(tenant: string, jti: string, expiresAt: number): Promise<void>;
  /** True when the access token's own jti or its grant has been revoked. */
  isAccessTokenRevoked(tenant: string, jti: string, grantId: string): Promise<boolean>;
}

export interface JtiRepo {
  /** Records a JWT ID as used; false if it was used before. Atomic. */
  claimOnce(tenant: string, jti: string, expiresAt: number): Promise<boolean>;
}

export interface SetupTokenRepo {
  /** Replaces any earlier set-up token of the tenant with this one. */
  replace(tenant: string, tokenHash: string, expiresAt: number): Promise<void>;
  /** Consumes the token if it is live; true exactly once. */
  consume(tenant: string, tokenHash: string, now: number): Promise<boolean>;
}

export interface TotpEnrolment {
  tenant: string;
  sub: string;
  /** The confirmed secret, sealed by keys/; null while only an enrolment is pending. */
  sealedSecret: string | null;
  pendingSealedSecret: string | null;
  pendingExpiresAt: number | null;
  /** RFC 6238 time step of the last accepted code. */
  lastTimeStep: number;
  enrolledAt: number | null;
}

export interface SecondFactorRepo {
  totp(tenant: string, sub: string): Promise<TotpEnrolment | null>;
  /** Stores a secret awaiting its first correct code; an active enrolment stays active meanwhile. */
  beginTotpEnrolment(tenant: string, sub: string, pendingSealedSecret: string, expiresAt: number): Promise<void>;
  /**
   * Makes the pending secret (only if it is still `pendingSealedSecret` and live) the active one,
   * records the time step its code used and replaces the recovery codes, in one transaction.
   */
  completeTotpEnrolment(tenant: string, sub: string, pendingSealedSecret: string, timeStep: number, recoveryCodeMacs: string[], now: number): Promise<boolean>;
  /** Accepts the code of `timeStep` once: false when it or a later step was accepted before (replay). Atomic. */
  claimTotpStep(tenant: string, sub: string, timeStep: number): Promise<boolean>;
  /** Clears the enrolment and its recovery codes; false when there was none. */
  removeTotp(tenant: string, sub: string): Promise<boolean>;
  /** Recovery codes are given as keyed MACs (keys/ Keyring.recoveryCodeMac), never as the codes or plain digests. */
  replaceRecoveryCodes(tenant: string, sub: string, codeMacs: string[]): Promise<void>;
  /** Spends a recovery code; true exactly once. */
  useRecoveryCode(tenant: string, sub: string, codeMac: string): Promise<boolean>;
  countRecoveryCodes(tenant: string, sub: string): Promise<number>;
}

/** A password sign-in that still owes its second factor; the browser holds only the ID. */
export interface PendingLogin {
  tenant: string;
  idHash: string;
  sub: string;
  /** The authorization request it completes, as the login endpoint's `return`. */
  returnTo: string;
  failures: number;
  emailCodeHash: string | null;
  emailCodeExpiresAt: number | null;
  expiresAt: number;
  /** What the user proved before the second factor was asked for: a password, or a mailed sign-in link. */
  firstFactor: "pwd" | "email";
  /** The throttle key of the known device the first step came from; null for a device the account has not used. */
  deviceKey: string | null;
}

export interface PendingLoginRepo {
  create(login: Omit<PendingLogin, "failures" | "emailCodeHash" | "emailCodeExpiresAt">): Promise<void>;
  find(tenant: string, idHash: string, now: number): Promise<PendingLogin | null>;
  /** Counts one wrong code; at `limit` failures the pending login is destroyed. Returns the attempts left (0: destroyed). */
  recordFailure(tenant: string, idHash: string, limit: number): Promise<number>;
  setEmailCode(tenant: string, idHash: string, codeHash: string, expiresAt: number): Promise<boolean>;
  /** Ends a live pending login; true exactly once, so a second factor completes it only once. */
  consume(tenant: string, idHash: string, now: number): Promise<boolean>;
}

export interface Passkey {
  tenant: string;
  /** base64url credential ID, as the browser reports it. */
  credentialId: string;
  sub: string;
  /** base64url COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  backupEligible: boolean;
  backedUp: boolean;
  aaguid: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PasskeyRepo {
  add(passkey: Passkey): Promise<void>;
  find(tenant: string, credentialId: string): Promise<Passkey | null>;
  listOfUser(tenant: string, sub: string): Promise<Passkey[]>;
  /**
   * Records a sign-in: the new counter and backup state. Atomic against a concurrent use:
   * false when the stored counter moved to `newCounter` or beyond meanwhile (a cloned authenticator or a replay).
   */
  recordUse(tenant: string, credentialId: string, previousCounter: number, newCounter: number, backedUp: boolean, now: number): Promise<boolean>;
  rename(tenant: string, sub: string, credentialId: string, label: string): Promise<boolean>;
  remove(tenant: string, sub: string, credentialId: string): Promise<boolean>;
}

export interface WebAuthnChallenge {
  tenant: string;
  idHash: string;
  purpose: "signin" | "register";
  challenge: string;
  sub: string | null;
  returnTo: string | null;
  expiresAt: number;
}

export interface WebAuthnChallengeRepo {
  save(challenge: WebAuthnChallenge): Promise<void>;
  /** Takes the live challenge out in one statement: a ceremony can use it exactly once. */
  consume(tenant: string, idHash: string, purpose: WebAuthnChallenge["purpose"], now: number): Promise<WebAuthnChallenge | null>;  /** Challenges of the tenant not yet expired: the cap on what unauthenticated callers can make the store hold. */
  countLive(tenant: string, now: number): Promise<number>;
}

export interface VerifierSettings {
  tenant: string;
  certificateChainPem: string | null;
  /** The verifier's private key (PKCS#8 PEM), sealed by keys/. */
  sealedPrivateKey: string | null;
  identitySource: "development" | "operator" | null;
  clientIdPrefix: "x509_hash" | "x509_san_dns";
  walletScheme: string;
  /** The tenant's default DCQL query (JSON); null: the PID's given_name, family_name, birthdate. */
  dcqlQueryJson: string | null;
  /** A wallet that is linked to no account may create one. */
  walletSignup: boolean;
}

export interface TrustAnchorRecord {
  tenant: string;
  /** SHA-256 of the DER, base64url. */
  fingerprint: string;
  pem: string;
  subject: string;
  addedAt: number;
}

export type WalletTransactionStatus = "pending" | "retrieved" | "verifying" | "verified" | "failed" | "completed";

export interface WalletTransactionRecord {
  tenant: string;
  id: string;
  purpose: "signin" | "api" | "link";
  clientId: string | null;
  /** link: the account the wallet is to be linked to. */
  sub: string | null;
  returnTo: string | null;
  pageSecretHash: string | null;
  /** The engine's Transaction as JSON, without the private response key. */
  transactionJson: string;
  sealedResponseKey: string;
  status: WalletTransactionStatus;
  resultJson: string | null;
  error: string | null;
  /** Same-device flow (sign-in, a link, or an API presentation with a redirect_uri): digest of the response_code handed to the wallet. */
  responseCodeHash: string | null;
  expiresAt: number;
  /** signin: same_device completes only with the response_code; cross_device with the page's secret alone. */
  flow: "same_device" | "cross_device";
  /** link: confirmed on the device the wallet returned to. */
  deviceConfirmed: boolean;
  /** failed: the check that failed, where the page says something particular about it. */
  failedCheck: string | null;
}

export interface VerifierRepo {
  settings(tenant: string): Promise<VerifierSettings | null>;
  /** Upserts the policy columns (prefix, scheme, DCQL) of the tenant's verifier. */
  savePolicy(tenant: string, policy: Pick<VerifierSettings, "clientIdPrefix" | "walletScheme" | "dcqlQueryJson" | "walletSignup">): Promise<void>;
  /** Stores an identity; a development one only where none exists yet (false then), an operator's always. */
  installIdentity(tenant: string, certificateChainPem: string, sealedPrivateKey: string, source: "development" | "operator"): Promise<boolean>;
  /** A relying party's own DCQL query (JSON) for wallet sign-ins; null: the tenant's. */
  clientDcqlQuery(tenant: string, clientId: string): Promise<string | null>;
  /** Sets (or, with null, clears) a relying party's DCQL query. */
  setClientDcqlQuery(tenant: string, clientId: string, dcqlQueryJson: string | null): Promise<void>;
  trustAnchors(tenant: string): Promise<TrustAnchorRecord[]>;
  addTrustAnchor(anchor: TrustAnchorRecord): Promise<boolean>;
  removeTrustAnchor(tenant: string, fingerprint: string): Promise<boolean>;
}

export interface WalletTransactionRepo {
  create(record: WalletTransactionRecord): Promise<void>;
  /** Transactions of the tenant not yet expired: the cap on what callers can make the store hold. */
  countLive(tenant: string, now: number): Promise<number>;
  get(tenant: string, id: string): Promise<WalletTransactionRecord | null>;
  markRetrieved(tenant: string, id: string): Promise<void>;
  /** Takes a live, unanswered transaction for verifying one response: true exactly once. */
  claimForResponse(tenant: string, id: string, now: number): Promise<boolean>;
  finish(tenant: string, id: string, status: "verified" | "failed", resultJson: string | null, error: string | null, responseCodeHash?: string | null, failedCheck?: string | null): Promise<void>;
  /** A verified sign-in (or a confirmed link) completes once: true exactly once. */
  complete(tenant: string, id: string): Promise<boolean>;
  /**
   * The wallet's device answers a verified, undecided link whose response_code digest this is and
   * whose expires_at is later than `expiresAfter`: confirm, or decline (the transaction then fails). True exactly once.
   */
  decideLink(tenant: string, id: string, responseCodeHash: string, decision: "confirm" | "decline", expiresAfter: number): Promise<boolean>;
}

export interface WalletLinkRepo {
  find(tenant: string, linkKey: string): Promise<string | null>;
  /** Links a wallet to an account; false when that wallet is already linked. */
  add(tenant: string, linkKey: string, sub: string, now: number): Promise<boolean>;
  countOfUser(tenant: string, sub: string): Promise<number>;
}

/** Failures counted against one key (an account's second factor, a username, a known device) since the count was last forgotten. */
export interface ThrottleState {
  failures: number;
  lastFailureAt: number;
}

export interface ThrottleRepo {
  /** The live count for a key, or null when there is none (never failed, forgotten, or cleared). */
  get(tenant: string, key: string, now: number): Promise<ThrottleState | null>;
  /** Counts one failure in one statement and returns the new count; a count idle for `forgetAfter` seconds starts again at 1. */
  recordFailure(tenant: string, key: string, now: number, forgetAfter: number): Promise<ThrottleState>;
  clear(tenant: string, key: string): Promise<void>;
}

export interface Store {
  readonly tenants: TenantRepo;
  readonly users: UserRepo;
  readonly clients: ClientRepo;
  readonly signingKeys: SigningKeyRepo;
  readonly codes: AuthorizationCodeRepo;
  readonly grants: GrantRepo;
  readonly jti: JtiRepo;
  readonly setupTokens: SetupTokenRepo;
  readonly secondFactors: SecondFactorRepo;
  readonly pendingLogins: PendingLoginRepo;
  readonly passkeys: PasskeyRepo;
  readonly webauthnChallenges: WebAuthnChallengeRepo;
  readonly verifiers: VerifierRepo;
  readonly walletTransactions: WalletTransactionRepo;
  readonly walletLinks: WalletLinkRepo;
  readonly throttles: ThrottleRepo;
  /** Deletes expired single-use rows; returns how many went. */
  sweep(now: number): Promise<number>;
  close(): void;
}

/** A uniqueness violation (tenant, user or client that already exists). */
export class DuplicateError extends Error {
  override name = "DuplicateError";
}
