// Rows both backends read alike, turned into the ports' values in one place (SQLite and PostgreSQL
// differ only in how a boolean comes back, which these rows do not carry or do not read).
import type { AuthorizationCodeRecord, Client, GrantContext } from "./ports.ts";

export interface ClientRow {
  tenant: string; client_id: string; secret_hash: string | null; redirect_uris_json: string;
  post_logout_redirect_uris_json: string; refresh_token_ttl: number | null; grant_types: string; scopes: string; created_at: number;
}

const words = (text: string) => text.split(" ").filter((word) => word.length > 0);

export const toClient = (row: ClientRow): Client => ({
  tenant: row.tenant,
  clientId: row.client_id,
  secretHash: row.secret_hash,
  redirectUris: JSON.parse(row.redirect_uris_json) as string[],
  postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris_json) as string[],
  refreshTokenTtl: row.refresh_token_ttl,
  grantTypes: words(row.grant_types) as Client["grantTypes"],
  scopes: words(row.scopes),
  createdAt: row.created_at,
});

export interface CodeRow {
  tenant: string; code_hash: string; grant_id: string; client_id: string; redirect_uri: string;
  code_challenge: string | null; nonce: string | null; context_json: string; expires_at: number;
}

export const toCode = (row: CodeRow): AuthorizationCodeRecord => ({
  tenant: row.tenant,
  codeHash: row.code_hash,
  grantId: row.grant_id,
  clientId: row.client_id,
  redirectUri: row.redirect_uri,
  codeChallenge: row.code_challenge,
  nonce: row.nonce,
  expiresAt: row.expires_at,
  ...(JSON.parse(row.context_json) as GrantContext),
});

/** How long a grant is kept past its code's expiry even if no token is ever issued from it. */
export const GRANT_GRACE = 3600;
