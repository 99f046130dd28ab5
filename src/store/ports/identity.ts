/** Storage ports: tenants, users and clients. */
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
  /** What people are shown instead of the host name (mail, pages); null: the host name. */
  displayName: string | null;
  /** Methods the sign-in page does not offer and the sign-in API refuses; empty: all. */
  disabledMethods: SwitchableMethod[];
}

/** The sign-in methods a tenant can turn off (email methods have their own switch, TenantMail.emailMethods). */
export type SwitchableMethod = "password" | "passkey" | "eu-wallet";

export const SWITCHABLE_METHODS: readonly SwitchableMethod[] = ["password", "passkey", "eu-wallet"];

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
  /** An admin vouched that the user controls `email`; released as `email_verified`. */
  emailVerified: boolean;
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

export type UserPatch = Partial<Pick<User, "sealedHa1" | "role" | "email" | "emailVerified" | "name" | "groups" | "disabled">>;

/** Which users an admin lists: each filter narrows (text filters match a part, case-insensitively); ordered by username. */
export interface UserQuery {
  username?: string;
  email?: string;
  role?: Role;
  disabled?: boolean;
  limit: number;
  offset: number;
}

export interface Client {
  tenant: string;
  clientId: string;
  /** SHA-256 (base64url) of the client secret; null for a public client. */
  secretHash: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Refresh token lifetime in seconds; null means the server default. */
  refreshTokenTtl: number | null;
  /** The grants it may use at the token endpoint (authorization_code implies the authorize endpoint). */
  grantTypes: GrantType[];
  /** Scopes it may receive for itself, with no user (client_credentials), e.g. `sigil:admin`. */
  scopes: string[];
  createdAt: number;
}

export type GrantType = "authorization_code" | "refresh_token" | "client_credentials";

export const GRANT_TYPES: readonly GrantType[] = ["authorization_code", "refresh_token", "client_credentials"];

/** What a client registered without saying could always do. */
export const DEFAULT_GRANT_TYPES: readonly GrantType[] = ["authorization_code", "refresh_token"];

export interface TenantRepo {
  add(tenant: Tenant): Promise<void>;
  get(host: string): Promise<Tenant | null>;
  list(): Promise<Tenant[]>;
  /** Returns false when no such tenant exists. */
  setMail(host: string, mail: TenantMail): Promise<boolean>;
  /** Sets (or, with null, clears) the canonical origin; false when no such tenant exists. */
  setOrigin(host: string, origin: string | null): Promise<boolean>;
  setDisplayName(host: string, displayName: string | null): Promise<boolean>;
  /** Replaces the set of methods turned off; false when no such tenant exists. */
  setDisabledMethods(host: string, methods: SwitchableMethod[]): Promise<boolean>;
  /**
   * Changes the realm only while the tenant has no user, in one statement: every stored HA1 is
   * MD5(user:realm:password), so a realm changed under them would lock every password out.
   * False when the tenant has users (or does not exist).
   */
  setRealmWhileNoUsers(host: string, realm: string): Promise<boolean>;
}

export interface UserRepo {
  add(user: User): Promise<void>;
  findByUsername(tenant: string, username: string): Promise<User | null>;
  findBySub(tenant: string, sub: string): Promise<User | null>;
  /** Users whose address is `email` (compared case-insensitively). */
  findByEmail(tenant: string, email: string): Promise<User[]>;
  list(tenant: string): Promise<User[]>;
  /** One page of the users matching `query`, and how many match in all. */
  search(tenant: string, query: UserQuery): Promise<{ users: User[]; total: number }>;
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
  /** Replaces what an admin may change (URIs, lifetime, grant types, scopes); false when no such client exists. */
  update(client: Pick<Client, "tenant" | "clientId" | "redirectUris" | "postLogoutRedirectUris" | "refreshTokenTtl" | "grantTypes" | "scopes">): Promise<boolean>;
  /** Replaces a confidential client's secret digest; false when no such confidential client exists. */
  setSecretHash(tenant: string, clientId: string, secretHash: string): Promise<boolean>;
  remove(tenant: string, clientId: string): Promise<boolean>;
}
