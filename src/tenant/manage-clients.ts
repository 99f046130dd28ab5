import { DuplicateError, type Client, type Store } from "../store/index.ts";
import { ACCOUNT_CLIENT_ID } from "./built-in-clients.ts";
import { TenantInputError, requireTenant } from "./manage-tenants.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";

export interface NewClient {
  clientId: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  confidential?: boolean;
  refreshTokenTtl?: number | null;
}

const CLIENT_ID = /^[A-Za-z0-9._:@+-]{1,128}$/;

/**
 * Registers a relying party. A confidential client's secret (256 bits) is
 * returned once and stored only as its SHA-256 digest.
 */
export async function addClient(store: Store, host: string, input: NewClient): Promise<{ client: Client; secret: string | null; warnings: string[] }> {
  const tenant = await requireTenant(store, host);
  if (!CLIENT_ID.test(input.clientId)) throw new TenantInputError("client IDs are 1 to 128 letters, digits or . _ : @ + -");
  if (input.clientId === ACCOUNT_CLIENT_ID) throw new TenantInputError(`${ACCOUNT_CLIENT_ID} is the built-in client of the account page`);
  if (input.redirectUris.length === 0) throw new TenantInputError("at least one --redirect-uri is required");
  const warnings = [...input.redirectUris, ...(input.postLogoutRedirectUris ?? [])].flatMap(checkRedirectUri);
  const secret = input.confidential ? randomId(32) : null;
  const client: Client = {
    tenant: tenant.host,
    clientId: input.clientId,
    secretHash: secret === null ? null : hashSecret(secret),
    redirectUris: [...new Set(input.redirectUris)],
    postLogoutRedirectUris: [...new Set(input.postLogoutRedirectUris ?? [])],
    refreshTokenTtl: input.refreshTokenTtl ?? null,
    createdAt: nowSeconds(),
  };
  try {
    await store.clients.add(client);
  } catch (error) {
    if (error instanceof DuplicateError) throw new TenantInputError(`client ${input.clientId} already exists in ${tenant.host}`);
    throw error;
  }
  return { client, secret, warnings };
}

/** Redirect URIs are absolute, without fragment (RFC 6749 §3.1.2); http only for loopback and .localhost hosts. */
function checkRedirectUri(uri: string): string[] {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new TenantInputError(`"${uri}" is not an absolute URI`);
  }
  if (url.hash !== "" || uri.includes("#")) throw new TenantInputError(`"${uri}" must not have a fragment`);
  if (url.protocol === "javascript:" || url.protocol === "data:") throw new TenantInputError(`"${uri}" has a forbidden scheme`);
  return url.protocol === "http:" && !isLoopbackHost(url.hostname) ? [`${uri} uses plain http; use https outside development`] : [];
}

const isLoopbackHost = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "[::1]";
