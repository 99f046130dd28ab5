import type { Client, Store } from "../store/index.ts";
import { constantTimeEqual } from "../lib/constant-time.ts";
import { hashSecret } from "../lib/ids.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import { findClient } from "./find-client.ts";

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "none";
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ["client_secret_basic", "client_secret_post", "none"];

/**
 * Authenticates the client at the token, introspection and revocation endpoints:
 * HTTP Basic (each part form-decoded first, RFC 6749 §2.3.1), client_secret_post,
 * or none for public clients. Exactly one method per request; secrets compared
 * as SHA-256 digests in constant time.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export async function authenticateClient(store: Store, tenant: string, issuer: string, authorization: string | null, params: Params): Promise<{ client: Client; method: ClientAuthMethod }> {
  const basic = authorization !== null && /^basic /i.test(authorization) ? parseBasic(authorization) : null;
  const postedId = params.get("client_id");
  const postedSecret = params.get("client_secret");
  if (params.repeatedAmong(["client_id", "client_secret"]).length > 0) throw new OAuthError("invalid_request", "client_id and client_secret must not repeat.");
  if (basic && postedSecret !== undefined) throw new OAuthError("invalid_request", "Use one client authentication method, not two.");
  if (basic && postedId !== undefined && postedId !== basic.id) throw new OAuthError("invalid_request", "client_id does not match the Authorization header.");

  const clientId = basic?.id ?? postedId;
  if (!clientId) throw invalidClient("The client is not identified.", basic !== null);
  const client = await findClient(store, tenant, issuer, clientId);
  const secret = basic?.secret ?? postedSecret;
  if (!client) {
    if (secret !== undefined) constantTimeEqual(hashSecret(secret), hashSecret("decoy"));
    throw invalidClient("Client authentication failed.", basic !== null, `unknown client ${clientId.slice(0, 80)}`);
  }
  if (client.secretHash === null) {
    if (secret !== undefined) throw invalidClient("This is a public client; it has no secret.", basic !== null);
    return { client, method: "none" };
  }
  if (secret === undefined || !constantTimeEqual(hashSecret(secret), client.secretHash)) {
    throw invalidClient("Client authentication failed.", basic !== null, `bad secret for ${client.clientId}`);
  }
  return { client, method: basic ? "client_secret_basic" : "client_secret_post" };
}

function parseBasic(header: string): { id: string; secret: string } {
  let decoded: string;
  try {
    decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  } catch {
    throw invalidClient("The Authorization header is malformed.", true);
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient("The Authorization header is malformed.", true);
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient("The Authorization header is malformed.", true);
  }
}

const formDecode = (text: string): string => decodeURIComponent(text.replace(/\+/g, " "));

function invalidClient(description: string, viaBasic: boolean, internal?: string): OAuthError {
  return new OAuthError("invalid_client", description, {
    status: 401,
    internal: internal ?? description,
    headers: viaBasic ? { "WWW-Authenticate": 'Basic realm="token", charset="UTF-8"' } : {},
  });
}

/** A confidential client of the tenant, authenticated: what the verifier API and introspection accept. */
export async function requireConfidentialClient(store: Store, tenant: string, issuer: string, authorization: string | null, params: Params, purpose: string): Promise<Client> {
  const { client, method } = await authenticateClient(store, tenant, issuer, authorization, params);
  if (method === "none") throw new OAuthError("unauthorized_client", `Only a confidential client may use ${purpose}.`, { status: 401 });
  return client;
}
