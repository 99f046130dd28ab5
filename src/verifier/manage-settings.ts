// The operator's settings of a tenant's EU Wallet verifier, shared by `sigil verifier` and the
// admin API: what each accepts is decided here, once.
import type { Keyring } from "../keys/index.ts";
import { AuthenticationQueryError, authenticationQuery, haipIdentityProblems, parseDcqlQuery, WALLET_SCHEMES, type DcqlQueryInput } from "../oid4vp/index.ts";
import type { Store, VerifierSettings } from "../store/index.ts";
import { requireTenant, TenantInputError } from "../tenant/index.ts";
import { sealOperatorIdentity } from "./wallet-verifier.ts";

export type VerifierPolicy = Pick<VerifierSettings, "clientIdPrefix" | "walletScheme" | "dcqlQueryJson" | "walletSignup">;

export interface VerifierPolicyChange {
  clientIdPrefix?: string;
  walletScheme?: string;
  /** A DCQL query (parsed JSON); null: back to the PID query. */
  dcqlQuery?: unknown;
  walletSignup?: boolean;
}

/** What a tenant's verifier does when nobody set anything. */
export const DEFAULT_POLICY: VerifierPolicy = { clientIdPrefix: "x509_hash", walletScheme: "openid4vp", dcqlQueryJson: null, walletSignup: true };

/**
 * A DCQL query for wallet sign-in, as JSON: valid DCQL, and usable for sign-in (one credential
 * with a subject identifier, since wallet sign-ins bind accounts).
 */
export function checkSignInDcql(query: unknown, field = "dcql_query"): string {
  try {
    parseDcqlQuery(query as DcqlQueryInput);
  } catch (error) {
    throw new TenantInputError(`not a valid DCQL query: ${(error as Error).message.split("\n")[0]}`, "invalid", field);
  }
  try {
    authenticationQuery(query as DcqlQueryInput);
  } catch (error) {
    if (!(error instanceof AuthenticationQueryError)) throw error;
    throw new TenantInputError(`this query cannot be used for wallet sign-in: ${error.message}`, "invalid", field);
  }
  return JSON.stringify(query);
}

/** Changes the tenant's verifier policy; what the change leaves out stays as it was. */
export async function setVerifierPolicy(store: Store, host: string, change: VerifierPolicyChange): Promise<VerifierPolicy> {
  const prefix = change.clientIdPrefix;
  if (prefix !== undefined && prefix !== "x509_hash" && prefix !== "x509_san_dns") throw new TenantInputError("the client_id prefix is x509_hash or x509_san_dns", "invalid", "client_id_prefix");
  const scheme = change.walletScheme;
  if (scheme !== undefined && !(WALLET_SCHEMES as readonly string[]).includes(scheme) && !/^https:\/\/[^\s]+$/.test(scheme)) {
    throw new TenantInputError(`the wallet scheme is one of ${WALLET_SCHEMES.join(", ")} or an https:// wallet endpoint`, "invalid", "wallet_scheme");
  }
  const dcqlJson = change.dcqlQuery === undefined ? undefined : change.dcqlQuery === null ? null : checkSignInDcql(change.dcqlQuery);
  const tenant = await requireTenant(store, host);
  const current = (await store.verifiers.settings(tenant.host)) ?? DEFAULT_POLICY;
  const policy: VerifierPolicy = {
    clientIdPrefix: (prefix ?? current.clientIdPrefix) as VerifierPolicy["clientIdPrefix"],
    walletScheme: scheme ?? current.walletScheme,
    dcqlQueryJson: dcqlJson === undefined ? current.dcqlQueryJson : dcqlJson,
    walletSignup: change.walletSignup ?? current.walletSignup,
  };
  await store.verifiers.savePolicy(tenant.host, policy);
  return policy;
}

/** A relying party's own DCQL query for the wallet sign-ins it starts (null: the tenant's); the tenant's policy stays. */
export async function setClientDcqlQuery(store: Store, host: string, clientId: string, query: unknown): Promise<string | null> {
  const dcqlJson = query === null ? null : checkSignInDcql(query);
  const tenant = await requireTenant(store, host);
  if (!(await store.clients.get(tenant.host, clientId))) throw new TenantInputError(`${tenant.host} has no client ${clientId}`, "not_found", "client_id");
  await store.verifiers.setClientDcqlQuery(tenant.host, clientId, dcqlJson);
  return dcqlJson;
}

/**
 * Installs the operator's access certificate chain and its key (sealed at rest); it takes effect
 * at once. Returns the leaf's subject and what HAIP would object to (warnings, not refusals).
 */
export async function installVerifierCertificate(keyring: Keyring, store: Store, host: string, chainPem: string, keyPem: string): Promise<{ subject: string | undefined; warnings: string[] }> {
  const tenant = await requireTenant(store, host);
  let sealed;
  try {
    sealed = await sealOperatorIdentity(keyring, tenant.host, chainPem, keyPem);
  } catch (error) {
    throw new TenantInputError(`the certificate and key were not accepted: ${(error as Error).message.split("\n")[0]}`, "invalid", "certificate_chain_pem");
  }
  await store.verifiers.installIdentity(tenant.host, sealed.chainPem, sealed.sealedKey, "operator");
  return { subject: sealed.identity.certificates[0]?.subject, warnings: await haipIdentityProblems(sealed.identity) };
}
