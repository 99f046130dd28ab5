/** Storage ports: what the sign-in methods keep: authenticator apps and recovery codes, pending logins, passkeys and their challenges, failure throttles. */
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

/** Attempts counted per limit (`scope`) and key (a client IP, an address, a tenant), shared by every process on the store. */
export interface AttemptRepo {
  /** Counts one attempt at `now`, in one statement; it counts for `window` seconds. */
  record(scope: string, key: string, now: number, window: number): Promise<void>;
  /** The attempts of the last `window` seconds, as counts per second, newest first, at most `limit` seconds of them. */
  recent(scope: string, key: string, now: number, window: number, limit: number): Promise<{ at: number; n: number }[]>;
}
