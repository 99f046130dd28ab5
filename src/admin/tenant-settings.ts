// The admin API's tenant-wide settings: signing keys, the tenant itself (realm, display name,
// origin, mail), the EU Wallet verifier and its trust anchors. Rules live in tenant/ and
// verifier/, shared with `sigil keys`, `sigil tenant`, `sigil verifier` and `sigil trust`.
import type { RequestContext, Services } from "../context/index.ts";
import type { Params } from "../lib/params.ts";
import { checkSmtpUrl, setSignInMethods, setTenantMail, setTenantOrigin, setTenantSettings, smtpBinding, type SignInMethodsChange, type TenantMailChange } from "../tenant/index.ts";
import { SWITCHABLE_METHODS, type Tenant } from "../store/index.ts";
import { loadVerifierManagement } from "../verifier/load-management.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { recordAdminChange } from "./record-change.ts";
import { isoTime, json, noContent, pageOf, readPage } from "./respond.ts";

export async function listKeys(services: Services, context: RequestContext, query: Params): Promise<Response> {
  const status = query.get("status");
  const keys = (await services.store.signingKeys.listAll(context.tenant.host)).filter((key) => status === undefined || key.status === status);
  // Only the public half: the private key never leaves keys/.
  return pageOf(keys.map((key) => ({ kid: key.kid, alg: key.alg, status: key.status, created_at: isoTime(key.createdAt), public_jwk: key.publicJwk })), readPage(query));
}

export async function rotateKey(services: Services, context: RequestContext, admin: AdminPrincipal): Promise<Response> {
  const kid = await services.keyring.rotate(context.tenant.host);
  await recordAdminChange(services, context, admin, "keys.rotate", { kid });
  return json({ kid }, 201);
}

async function tenantJson(services: Services, tenant: Tenant) {
  const users = await services.store.users.search(tenant.host, { limit: 0, offset: 0 });
  return {
    host: tenant.host, realm: tenant.realm, realm_locked: users.total > 0, display_name: tenant.displayName, origin: tenant.origin, created_at: isoTime(tenant.createdAt),
    sign_in_methods: Object.fromEntries(SWITCHABLE_METHODS.map((method) => [method, !tenant.disabledMethods.includes(method)])),
    mail: { smtp: tenant.mail.sealedSmtpUrl ? "own" : services.config.smtpUrl ? "global" : "none", from: tenant.mail.from, email_methods: tenant.mail.emailMethods },
  };
}

export async function getTenant(services: Services, context: RequestContext): Promise<Response> {
  return json(await tenantJson(services, context.tenant));
}

export interface TenantPatchBody {
  realm?: string;
  display_name?: string | null;
  origin?: string | null;
  sign_in_methods?: SignInMethodsChange;
}

export async function patchTenant(services: Services, context: RequestContext, admin: AdminPrincipal, body: TenantPatchBody): Promise<Response> {
  const host = context.tenant.host;
  let tenant = await setTenantSettings(services.store, host, { ...(body.realm !== undefined ? { realm: body.realm } : {}), ...(body.display_name !== undefined ? { displayName: body.display_name } : {}) });
  if (body.origin !== undefined) tenant = await setTenantOrigin(services.store, host, body.origin);
  if (body.sign_in_methods !== undefined) tenant = await setSignInMethods(services.store, host, body.sign_in_methods);
  await recordAdminChange(services, context, admin, "tenant.update", {
    changed: Object.keys(body).sort(), realm: tenant.realm, display_name: tenant.displayName, origin: tenant.origin, disabled_methods: tenant.disabledMethods,
  });
  return json(await tenantJson(services, tenant));
}

/** The tenant's own SMTP server (its URL may carry a password: sealed at once, never echoed or audited), From address and email methods. */
export async function patchMail(services: Services, context: RequestContext, admin: AdminPrincipal, body: { smtp_url?: string | null; from?: string | null; email_methods?: "auto" | "off" }): Promise<Response> {
  const host = context.tenant.host;
  const change: TenantMailChange = {};
  if (typeof body.smtp_url === "string") {
    checkSmtpUrl(body.smtp_url);
    change.sealedSmtpUrl = await services.keyring.sealSecret(smtpBinding(host), body.smtp_url);
  }
  if (body.smtp_url === null) change.sealedSmtpUrl = null;
  if (body.from !== undefined) change.from = body.from || null;
  if (body.email_methods !== undefined) change.emailMethods = body.email_methods;
  const tenant = await setTenantMail(services.store, host, change);
  await recordAdminChange(services, context, admin, "tenant.mail", {
    smtp: change.sealedSmtpUrl === undefined ? "unchanged" : change.sealedSmtpUrl === null ? "global" : "own", from: tenant.mail.from, email_methods: tenant.mail.emailMethods,
  });
  return json((await tenantJson(services, tenant)).mail);
}

export async function getVerifier(services: Services, context: RequestContext): Promise<Response> {
  const settings = await services.store.verifiers.settings(context.tenant.host);
  const policy = settings ?? (await loadVerifierManagement()).DEFAULT_POLICY;
  return json({
    certificate: settings?.identitySource ?? null, client_id_prefix: policy.clientIdPrefix, wallet_scheme: policy.walletScheme,
    dcql_query: policy.dcqlQueryJson === null ? null : JSON.parse(policy.dcqlQueryJson), wallet_signup: policy.walletSignup,
    trust_anchors: (await services.store.verifiers.trustAnchors(context.tenant.host)).length,
  });
}

export async function patchVerifier(
  services: Services, context: RequestContext, admin: AdminPrincipal, body: { client_id_prefix?: string; wallet_scheme?: string; dcql_query?: unknown; wallet_signup?: boolean },
): Promise<Response> {
  const policy = await (await loadVerifierManagement()).setVerifierPolicy(services.store, context.tenant.host, {
    clientIdPrefix: body.client_id_prefix, walletScheme: body.wallet_scheme, ...("dcql_query" in body ? { dcqlQuery: body.dcql_query } : {}), walletSignup: body.wallet_signup,
  });
  await recordAdminChange(services, context, admin, "verifier.set", { client_id_prefix: policy.clientIdPrefix, wallet_scheme: policy.walletScheme, custom_dcql: policy.dcqlQueryJson !== null, wallet_signup: policy.walletSignup });
  return getVerifier(services, context);
}

/** The access certificate chain and its private key: the key is sealed at once and never echoed, logged or audited. */
export async function putVerifierCertificate(services: Services, context: RequestContext, admin: AdminPrincipal, body: { certificate_chain_pem: string; private_key_pem: string }): Promise<Response> {
  const { subject, warnings } = await (await loadVerifierManagement()).installVerifierCertificate(services.keyring, services.store, context.tenant.host, body.certificate_chain_pem, body.private_key_pem);
  await recordAdminChange(services, context, admin, "verifier.set-cert", { subject });
  return json({ subject: subject ?? null, warnings });
}

export async function listTrustAnchors(services: Services, context: RequestContext, query: Params): Promise<Response> {
  const part = query.get("subject")?.toLowerCase();
  const anchors = (await services.store.verifiers.trustAnchors(context.tenant.host)).filter((anchor) => part === undefined || anchor.subject.toLowerCase().includes(part));
  return pageOf(anchors.map((anchor) => ({ fingerprint: anchor.fingerprint, subject: anchor.subject, pem: anchor.pem, added_at: isoTime(anchor.addedAt) })), readPage(query));
}

export async function postTrustAnchors(services: Services, context: RequestContext, admin: AdminPrincipal, body: { pem: string; leaf?: boolean }): Promise<Response> {
  const results = await (await loadVerifierManagement()).addTrustAnchors(services.store, context.tenant.host, body.pem, body.leaf ?? false);
  for (const { certificate, added } of results) {
    if (added) await recordAdminChange(services, context, admin, "trust.add", { fingerprint: certificate.fingerprint, subject: certificate.subject });
  }
  return json({
    items: results.map(({ certificate, added }) => ({ fingerprint: certificate.fingerprint, subject: certificate.subject, added, expired: certificate.notAfter.getTime() < Date.now() })),
  }, results.some((result) => result.added) ? 201 : 200);
}

export async function deleteTrustAnchor(services: Services, context: RequestContext, admin: AdminPrincipal, fingerprint: string): Promise<Response> {
  await (await loadVerifierManagement()).removeTrustAnchor(services.store, context.tenant.host, fingerprint);
  await recordAdminChange(services, context, admin, "trust.remove", { fingerprint });
  return noContent();
}
