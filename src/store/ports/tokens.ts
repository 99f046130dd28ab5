/** Storage ports: signing keys, authorization codes, grants and refresh tokens, and single-use identifiers. */
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
