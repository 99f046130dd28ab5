import { DEFAULT_GRANT_TYPES, DuplicateError, GRANT_TYPES, type Client, type GrantType, type Store } from "../store/index.ts";
import { BUILT_IN_CLIENT_IDS } from "./built-in-clients.ts";
import { TenantInputError, requireTenant } from "./manage-tenants.ts";
import { checkRefreshTtl } from "./edit-clients.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";

export interface NewClient {
  clientId: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  confidential?: boolean;
  refreshTokenTtl?: number | null;
  /** Default: authorization_code and refresh_token. */
  grantTypes?: string[];
  /** Scopes it may receive for itself (client_credentials). */
  scopes?: string[];
}

/** RFC 6749 §3.3: a scope token is 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
/** Scopes that release a user's claims: a token with no user cannot carry them. */
const USER_SCOPES = new Set(["openid", "profile", "email", "address", "phone", "offline_access", "groups"]);

const CLIENT_ID = /^[A-Za-z0-9._:@+-]{1,128}$/;

/**
 * Registers a relying party. A confidential client's secret (256 bits) is
 * returned once and stored only as its SHA-256 digest.
 */
export async function addClient(store: Store, host: string, input: NewClient): Promise<{ client: Client; secret: string | null; warnings: string[] }> {
  const tenant = await requireTenant(store, host);
  if (!CLIENT_ID.test(input.clientId)) throw new TenantInputError("client IDs are 1 to 128 letters, digits or . _ : @ + -", "invalid", "client_id");
  if (BUILT_IN_CLIENT_IDS.includes(input.clientId)) throw new TenantInputError(`${input.clientId} is a built-in client (the account page or the admin console)`, "conflict", "client_id");
  const grantTypes = checkGrantTypes(input.grantTypes ?? [...DEFAULT_GRANT_TYPES], input.confidential ?? false);
  const scopes = checkClientScopes(input.scopes ?? [], grantTypes);
  const warnings = checkClientUris(grantTypes, input.redirectUris, input.postLogoutRedirectUris ?? []);
  const secret = input.confidential ? randomId(32) : null;
  const client: Client = {
    tenant: tenant.host,
    clientId: input.clientId,
    secretHash: secret === null ? null : hashSecret(secret),
    redirectUris: [...new Set(input.redirectUris)],
    postLogoutRedirectUris: [...new Set(input.postLogoutRedirectUris ?? [])],
    refreshTokenTtl: checkRefreshTtl(input.refreshTokenTtl ?? null),
    grantTypes,
    scopes,
    createdAt: nowSeconds(),
  };
  try {
    await store.clients.add(client);
  } catch (error) {
    if (error instanceof DuplicateError) throw new TenantInputError(`client ${input.clientId} already exists in ${tenant.host}`, "conflict", "client_id");
    throw error;
  }
  return { client, secret, warnings };
}

/**
 * Grant types a client may use: known ones; refresh_token only beside authorization_code (it
 * continues a user's grant); client_credentials only for a confidential client (RFC 6749 §4.4).
 */
export function checkGrantTypes(requested: string[], confidential: boolean): GrantType[] {
  const grantTypes = [...new Set(requested)];
  const refuse = (message: string) => new TenantInputError(message, "invalid", "grant_types");
  if (grantTypes.length === 0) throw refuse("a client needs at least one grant type");
  for (const grantType of grantTypes) {
    if (!(GRANT_TYPES as readonly string[]).includes(grantType)) throw refuse(`unknown grant type ${grantType}: use ${GRANT_TYPES.join(", ")}`);
  }
  if (grantTypes.includes("refresh_token") && !grantTypes.includes("authorization_code")) throw refuse("refresh_token needs authorization_code");
  if (grantTypes.includes("client_credentials") && !confidential) throw refuse("client_credentials is for confidential clients only (--confidential)");
  return grantTypes as GrantType[];
}

/** A client's own scopes: well-formed, none that releases a user's claims, and only with client_credentials. */
export function checkClientScopes(requested: string[], grantTypes: GrantType[]): string[] {
  const scopes = [...new Set(requested)];
  const refuse = (message: string) => new TenantInputError(message, "invalid", "scopes");
  if (scopes.length > 0 && !grantTypes.includes("client_credentials")) throw refuse("--scope is what a client receives for itself: it needs --grant client_credentials");
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) throw refuse(`"${scope}" is not a scope (RFC 6749 §3.3: printable, no spaces, quotes or backslashes)`);
    if (USER_SCOPES.has(scope)) throw refuse(`${scope} releases a user's claims; a client's own token has no user`);
  }
  return scopes;
}

/** A client's redirect and post-logout URIs, each checked; the warnings are for the operator. */
export function checkClientUris(grantTypes: GrantType[], redirectUris: string[], postLogoutRedirectUris: string[]): string[] {
  if (grantTypes.includes("authorization_code") && redirectUris.length === 0) throw new TenantInputError("at least one --redirect-uri is required", "invalid", "redirect_uris");
  return [
    ...redirectUris.flatMap((uri) => checkRedirectUri(uri, "redirect_uris")),
    ...postLogoutRedirectUris.flatMap((uri) => checkRedirectUri(uri, "post_logout_redirect_uris")),
  ];
}

/** Redirect URIs are absolute, without fragment (RFC 6749 §3.1.2); http only for loopback and .localhost hosts. */
function checkRedirectUri(uri: string, field: string): string[] {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new TenantInputError(`"${uri}" is not an absolute URI`, "invalid", field);
  }
  if (url.hash !== "" || uri.includes("#")) throw new TenantInputError(`"${uri}" must not have a fragment`, "invalid", field);
  if (url.protocol === "javascript:" || url.protocol === "data:") throw new TenantInputError(`"${uri}" has a forbidden scheme`, "invalid", field);
  return url.protocol === "http:" && !isLoopbackHost(url.hostname) ? [`${uri} uses plain http; use https outside development`] : [];
}

const isLoopbackHost = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "[::1]";
