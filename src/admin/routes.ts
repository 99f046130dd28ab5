import { t } from "elysia";
import type { RequestContext, Services } from "../context/index.ts";
import type { Params, ParamSchema } from "../lib/params.ts";
import type { GrantType, Role } from "../store/index.ts";
import type { AdminPrincipal } from "./admin-session.ts";
import { listAudit } from "./audit-trail.ts";
import { createClient, deleteClient, getClient, getClientDcql, listClients, patchClient, putClientDcql, rotateSecret, type ClientBody } from "./clients.ts";
import {
  deleteTrustAnchor, getTenant, getVerifier, listKeys, listTrustAnchors, patchMail, patchTenant, patchVerifier, postTrustAnchors, putVerifierCertificate, rotateKey, type TenantPatchBody,
} from "./tenant-settings.ts";
import { deleteTrustedList, listTrustedListsRoute, postTrustedList, refreshTrustedList, type TrustedListBody } from "./trusted-lists.ts";
import { inviteAgain, listUserPasskeys, listUserWalletLinks, removeUserPasskey, removeUserWalletLink, resetTotp } from "./user-credentials.ts";
import { createUser, deleteUser, getUser, listUsers, patchUser, setPassword, setUserDisabled, type NewUserBody, type UserPatchBody } from "./users.ts";

export const ADMIN_API_PREFIX = "/admin/api/v1";

/** What a route receives once http/ has checked it against the route's schemas. */
export interface AdminInput {
  query: Params;
  /** The JSON body, already validated against `body`. */
  body: Record<string, unknown>;
  path: Record<string, string>;
}

export interface AdminRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Elysia path; `:name` segments arrive in `input.path`. */
  path: string;
  tag: string;
  summary: string;
  /** Query parameters (strings), checked like every other route's parameters (http/check-params.ts). */
  query?: ParamSchema;
  /**
   * The JSON body. Admin bodies carry arrays and objects (groups, redirect URIs, a DCQL query), which
   * Params would flatten into strings, so http/ reads the raw JSON body for admin routes and checks it
   * against this schema with Elysia's own validator (http/check-body.ts); members not declared are refused.
   */
  body?: ParamSchema;
  /** The status of success, for the generated document. */
  status: 200 | 201 | 202 | 204;
  handle(services: Services, context: RequestContext, admin: AdminPrincipal, input: AdminInput): Promise<Response>;
}

// Declarations for the generated document and for http/'s checks. Lengths bound what is stored;
// what a value must mean (an email, a redirect URI, a DCQL query) is judged by tenant/ and verifier/.
const opt = <T extends Parameters<typeof t.Optional>[0]>(schema: T) => t.Optional(schema);
const strict = { additionalProperties: false } as const;
const page = { limit: opt(t.String({ pattern: "^(?:[1-9][0-9]?|1[0-9]{2}|200)$", description: "1 to 200 (default 50)" })), offset: opt(t.String({ pattern: "^[0-9]{1,7}$", description: "default 0" })) };
const nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()]);
// Spelled out for the schema's types; `satisfies` keeps them the store's.
const ROLE_NAMES = ["admin", "user", "siponly", "guest"] as const satisfies readonly Role[];
const GRANT_NAMES = ["authorization_code", "refresh_token", "client_credentials"] as const satisfies readonly GrantType[];
const role = t.UnionEnum(ROLE_NAMES);
const username = t.String({ minLength: 1, maxLength: 128 });
const ha1 = t.String({ pattern: "^[0-9a-fA-F]{32}$", description: "MD5(username:realm:password) in hex, computed by the caller" });
const uris = t.Array(t.String({ minLength: 1, maxLength: 2000 }), { maxItems: 50 });
const groups = t.Array(t.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 });
const scopes = t.Array(t.String({ minLength: 1, maxLength: 128 }), { maxItems: 50 });
const grantTypes = t.Array(t.UnionEnum(GRANT_NAMES), { minItems: 1, maxItems: 3 });
const ttl = nullable(t.Integer({ minimum: 60, maximum: 365 * 86400, description: "refresh token lifetime in seconds; null: the server default" }));
const dcql = t.Object({}, { additionalProperties: true, description: "a DCQL query (OpenID4VP §6)" });
const USERS = "Users";
const CLIENTS = "Clients";
const SETTINGS = "Tenant settings";
const VERIFIER = "EU Wallet verifier";

const p = (input: AdminInput, name: string) => input.path[name] ?? "";

/** The admin API; app.ts mounts every route under the tenant's origin, http/admin-route.ts authorises and checks each request. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  {
    method: "GET", path: `${ADMIN_API_PREFIX}/users`, tag: USERS, status: 200, summary: "Users, ordered by username; filters match a part of the username or email.",
    query: t.Object({ username: opt(t.String({ maxLength: 128 })), email: opt(t.String({ maxLength: 320 })), role: opt(role), disabled: opt(t.UnionEnum(["true", "false"])), ...page }),
    handle: (s, c, _a, i) => listUsers(s, c, i.query),
  },
  {
    method: "POST", path: `${ADMIN_API_PREFIX}/users`, tag: USERS, status: 201,
    summary: "Creates a user: with a password (its HA1), with an invitation mailed to choose one (invite), or with no password (passkey, email link, wallet).",
    body: t.Object({
      username, ha1: opt(ha1), invite: opt(t.Boolean()), role: opt(role), email: opt(nullable(t.String({ maxLength: 320 }))), email_verified: opt(t.Boolean()),
      name: opt(nullable(t.String({ maxLength: 200 }))), groups: opt(groups),
    }, strict),
    handle: (s, c, a, i) => createUser(s, c, a, i.body as unknown as NewUserBody),
  },
  { method: "GET", path: `${ADMIN_API_PREFIX}/users/:username`, tag: USERS, status: 200, summary: "A user, with how they sign in (app, passkeys, wallet links).", handle: (s, c, _a, i) => getUser(s, c, p(i, "username")) },
  {
    method: "PATCH", path: `${ADMIN_API_PREFIX}/users/:username`, tag: USERS, status: 200, summary: "Edits name, email, email_verified, role and groups; a new email is unverified unless email_verified says otherwise.",
    body: t.Object({ name: opt(nullable(t.String({ maxLength: 200 }))), email: opt(nullable(t.String({ maxLength: 320 }))), email_verified: opt(t.Boolean()), role: opt(role), groups: opt(groups) }, strict),
    handle: (s, c, a, i) => patchUser(s, c, a, p(i, "username"), i.body as UserPatchBody),
  },
  { method: "DELETE", path: `${ADMIN_API_PREFIX}/users/:username`, tag: USERS, status: 204, summary: "Deletes a user and revokes their tokens.", handle: (s, c, a, i) => deleteUser(s, c, a, p(i, "username")) },
  { method: "POST", path: `${ADMIN_API_PREFIX}/users/:username/disable`, tag: USERS, status: 200, summary: "Disables a user and revokes their refresh tokens.", handle: (s, c, a, i) => setUserDisabled(s, c, a, p(i, "username"), true) },
  { method: "POST", path: `${ADMIN_API_PREFIX}/users/:username/enable`, tag: USERS, status: 200, summary: "Lets a disabled user sign in again.", handle: (s, c, a, i) => setUserDisabled(s, c, a, p(i, "username"), false) },
  {
    method: "PUT", path: `${ADMIN_API_PREFIX}/users/:username/password`, tag: USERS, status: 204, summary: "Sets the password as its HA1, or removes it (null); ends the user's single sign-on.",
    body: t.Object({ ha1: nullable(ha1) }, strict), handle: (s, c, a, i) => setPassword(s, c, a, p(i, "username"), i.body as { ha1: string | null }),
  },
  { method: "POST", path: `${ADMIN_API_PREFIX}/users/:username/invitation`, tag: USERS, status: 202, summary: "Mails the user a link to choose a password (valid 7 days, once).", handle: (s, c, a, i) => inviteAgain(s, c, a, p(i, "username")) },
  { method: "DELETE", path: `${ADMIN_API_PREFIX}/users/:username/totp`, tag: USERS, status: 200, summary: "Resets the authenticator app and recovery codes (a lost phone).", handle: (s, c, a, i) => resetTotp(s, c, a, p(i, "username")) },
  { method: "GET", path: `${ADMIN_API_PREFIX}/users/:username/passkeys`, tag: USERS, status: 200, summary: "The user's passkeys.", handle: (s, c, _a, i) => listUserPasskeys(s, c, p(i, "username")) },
  {
    method: "DELETE", path: `${ADMIN_API_PREFIX}/users/:username/passkeys/:credential_id`, tag: USERS, status: 204, summary: "Removes one of the user's passkeys.",
    handle: (s, c, a, i) => removeUserPasskey(s, c, a, p(i, "username"), p(i, "credential_id")),
  },
  { method: "GET", path: `${ADMIN_API_PREFIX}/users/:username/wallet-links`, tag: USERS, status: 200, summary: "The EU Wallets linked to the user.", handle: (s, c, _a, i) => listUserWalletLinks(s, c, p(i, "username")) },
  {
    method: "DELETE", path: `${ADMIN_API_PREFIX}/users/:username/wallet-links/:id`, tag: USERS, status: 204, summary: "Unlinks a wallet from the user.",
    handle: (s, c, a, i) => removeUserWalletLink(s, c, a, p(i, "username"), p(i, "id")),
  },
  {
    method: "GET", path: `${ADMIN_API_PREFIX}/clients`, tag: CLIENTS, status: 200, summary: "Registered clients; client_id matches a part.",
    query: t.Object({ client_id: opt(t.String({ maxLength: 128 })), type: opt(t.UnionEnum(["public", "confidential"])), grant_type: opt(t.UnionEnum(GRANT_NAMES)), ...page }),
    handle: (s, c, _a, i) => listClients(s, c, i.query),
  },
  {
    method: "POST", path: `${ADMIN_API_PREFIX}/clients`, tag: CLIENTS, status: 201, summary: "Registers a client; a confidential client's secret is in this answer only.",
    body: t.Object({
      client_id: t.String({ minLength: 1, maxLength: 128 }), type: opt(t.UnionEnum(["public", "confidential"])), redirect_uris: opt(uris), post_logout_redirect_uris: opt(uris),
      grant_types: opt(grantTypes), scopes: opt(scopes), refresh_token_ttl: opt(ttl),
    }, strict),
    handle: (s, c, a, i) => createClient(s, c, a, i.body as unknown as ClientBody),
  },
  { method: "GET", path: `${ADMIN_API_PREFIX}/clients/:client_id`, tag: CLIENTS, status: 200, summary: "A client (never its secret).", handle: (s, c, _a, i) => getClient(s, c, p(i, "client_id")) },
  {
    method: "PATCH", path: `${ADMIN_API_PREFIX}/clients/:client_id`, tag: CLIENTS, status: 200, summary: "Edits URIs, grant types, scopes and the refresh token lifetime (public or confidential is fixed).",
    body: t.Object({ redirect_uris: opt(uris), post_logout_redirect_uris: opt(uris), grant_types: opt(grantTypes), scopes: opt(scopes), refresh_token_ttl: opt(ttl) }, strict),
    handle: (s, c, a, i) => patchClient(s, c, a, p(i, "client_id"), i.body as Omit<ClientBody, "client_id" | "type">),
  },
  { method: "DELETE", path: `${ADMIN_API_PREFIX}/clients/:client_id`, tag: CLIENTS, status: 204, summary: "Removes a client.", handle: (s, c, a, i) => deleteClient(s, c, a, p(i, "client_id")) },
  {
    method: "POST", path: `${ADMIN_API_PREFIX}/clients/:client_id/secret`, tag: CLIENTS, status: 200, summary: "A new secret for a confidential client, shown once; the old one stops working.",
    handle: (s, c, a, i) => rotateSecret(s, c, a, p(i, "client_id")),
  },
  { method: "GET", path: `${ADMIN_API_PREFIX}/clients/:client_id/dcql`, tag: CLIENTS, status: 200, summary: "The client's own DCQL query for wallet sign-in (null: the tenant's).", handle: (s, c, _a, i) => getClientDcql(s, c, p(i, "client_id")) },
  {
    method: "PUT", path: `${ADMIN_API_PREFIX}/clients/:client_id/dcql`, tag: CLIENTS, status: 200, summary: "Sets the client's DCQL query for wallet sign-in, or null for the tenant's.",
    body: t.Object({ dcql_query: nullable(dcql) }, strict), handle: (s, c, a, i) => putClientDcql(s, c, a, p(i, "client_id"), i.body as { dcql_query: unknown }),
  },
  {
    method: "GET", path: `${ADMIN_API_PREFIX}/keys`, tag: SETTINGS, status: 200, summary: "Signing keys, newest first (public halves only).",
    query: t.Object({ status: opt(t.UnionEnum(["active", "previous", "retired"])), ...page }), handle: (s, c, _a, i) => listKeys(s, c, i.query),
  },
  { method: "POST", path: `${ADMIN_API_PREFIX}/keys/rotate`, tag: SETTINGS, status: 201, summary: "A new active signing key; the previous one stays published.", handle: (s, c, a) => rotateKey(s, c, a) },
  { method: "GET", path: `${ADMIN_API_PREFIX}/tenant`, tag: SETTINGS, status: 200, summary: "The tenant: realm (fixed once it has users), display name, origin, mail.", handle: (s, c) => getTenant(s, c) },
  {
    method: "PATCH", path: `${ADMIN_API_PREFIX}/tenant`, tag: SETTINGS, status: 200, summary: "Changes the display name, the origin mailed links point at, the sign-in methods offered, and the realm while the tenant has no users.",
    body: t.Object({
      realm: opt(t.String({ minLength: 1, maxLength: 253 })), display_name: opt(nullable(t.String({ maxLength: 100 }))), origin: opt(nullable(t.String({ maxLength: 300 }))),
      sign_in_methods: opt(t.Object({ password: opt(t.Boolean()), passkey: opt(t.Boolean()), "eu-wallet": opt(t.Boolean()) }, { ...strict, description: "true offers a method on the sign-in page, false turns it off (the API refuses it too); one of the three stays on" })),
    }, strict),
    handle: (s, c, a, i) => patchTenant(s, c, a, i.body as TenantPatchBody),
  },
  {
    method: "PATCH", path: `${ADMIN_API_PREFIX}/tenant/mail`, tag: SETTINGS, status: 200, summary: "The tenant's SMTP server (null: the global one), From address, and whether email sign-in methods are offered.",
    body: t.Object({ smtp_url: opt(nullable(t.String({ maxLength: 2000 }))), from: opt(nullable(t.String({ maxLength: 320 }))), email_methods: opt(t.UnionEnum(["auto", "off"])) }, strict),
    handle: (s, c, a, i) => patchMail(s, c, a, i.body as { smtp_url?: string | null; from?: string | null; email_methods?: "auto" | "off" }),
  },
  { method: "GET", path: `${ADMIN_API_PREFIX}/verifier`, tag: VERIFIER, status: 200, summary: "The verifier: certificate, client_id prefix, wallet scheme, default DCQL query, sign-up by wallet.", handle: (s, c) => getVerifier(s, c) },
  {
    method: "PATCH", path: `${ADMIN_API_PREFIX}/verifier`, tag: VERIFIER, status: 200, summary: "Changes the client_id prefix, wallet scheme, default DCQL query (null: the PID query) or sign-up by wallet.",
    body: t.Object({ client_id_prefix: opt(t.UnionEnum(["x509_hash", "x509_san_dns"])), wallet_scheme: opt(t.String({ minLength: 1, maxLength: 300 })), dcql_query: opt(nullable(dcql)), wallet_signup: opt(t.Boolean()) }, strict),
    handle: (s, c, a, i) => patchVerifier(s, c, a, i.body),
  },
  {
    method: "PUT", path: `${ADMIN_API_PREFIX}/verifier/certificate`, tag: VERIFIER, status: 200, summary: "Installs the access certificate chain and its private key (PEM); the key is sealed at once.",
    body: t.Object({ certificate_chain_pem: t.String({ minLength: 1, maxLength: 100_000 }), private_key_pem: t.String({ minLength: 1, maxLength: 20_000 }) }, strict),
    handle: (s, c, a, i) => putVerifierCertificate(s, c, a, i.body as { certificate_chain_pem: string; private_key_pem: string }),
  },
  {
    method: "GET", path: `${ADMIN_API_PREFIX}/trust-anchors`, tag: VERIFIER, status: 200, summary: "Trust anchors for credential and status-list issuers; subject matches a part.",
    query: t.Object({ subject: opt(t.String({ maxLength: 500 })), ...page }), handle: (s, c, _a, i) => listTrustAnchors(s, c, i.query),
  },
  {
    method: "POST", path: `${ADMIN_API_PREFIX}/trust-anchors`, tag: VERIFIER, status: 201, summary: "Adds the certificates of a PEM bundle (CAs, or with leaf the exact signers); all or none.",
    body: t.Object({ pem: t.String({ minLength: 1, maxLength: 200_000 }), leaf: opt(t.Boolean()) }, strict), handle: (s, c, a, i) => postTrustAnchors(s, c, a, i.body as { pem: string; leaf?: boolean }),
  },
  { method: "DELETE", path: `${ADMIN_API_PREFIX}/trust-anchors/:fingerprint`, tag: VERIFIER, status: 204, summary: "Removes a trust anchor.", handle: (s, c, a, i) => deleteTrustAnchor(s, c, a, p(i, "fingerprint")) },
  {
    method: "GET", path: `${ADMIN_API_PREFIX}/trust/lists`, tag: VERIFIER, status: 200, summary: "Trusted-list subscriptions (ETSI TS 119 612 / TS 119 602), each with whether its verified anchors are in force.",
    handle: (s, c) => listTrustedListsRoute(s, c),
  },
  {
    method: "POST", path: `${ADMIN_API_PREFIX}/trust/lists`, tag: VERIFIER, status: 201,
    summary: "Subscribes a trusted list (url, or the document itself) for a service type and credential types; fetched and verified at once.",
    body: t.Object({
      url: opt(t.String({ minLength: 1, maxLength: 2000 })), document: opt(t.String({ minLength: 1, maxLength: 16_000_000 })),
      signer_cert_pem: t.String({ minLength: 1, maxLength: 100_000, description: "the certificate(s) allowed to sign the list" }),
      service_type: t.String({ minLength: 1, maxLength: 64, description: "PIDProvider, PubEAAProvider, QEAAProvider, WalletProvider, WRPACProvider or QCertESig" }),
      vct: opt(t.String({ minLength: 1, maxLength: 200, description: "an SD-JWT VC vct, exact or a prefix ending in *" })),
      doctype: opt(t.String({ minLength: 1, maxLength: 200, description: "an mdoc doctype, exact or a prefix ending in *" })),
    }, strict),
    handle: (s, c, a, i) => postTrustedList(s, c, a, i.body as unknown as TrustedListBody),
  },
  { method: "POST", path: `${ADMIN_API_PREFIX}/trust/lists/:id/refresh`, tag: VERIFIER, status: 200, summary: "Fetches and verifies the list now.", handle: (s, c, _a, i) => refreshTrustedList(s, c, p(i, "id")) },
  { method: "DELETE", path: `${ADMIN_API_PREFIX}/trust/lists/:id`, tag: VERIFIER, status: 204, summary: "Ends a trusted-list subscription: its providers are no longer trusted.", handle: (s, c, a, i) => deleteTrustedList(s, c, a, p(i, "id")) },
  {
    method: "GET", path: `${ADMIN_API_PREFIX}/audit`, tag: "Audit trail", status: 200, summary: "The audit trail, newest first: by time range (from inclusive, to exclusive), user, client and event types (comma-separated).",
    query: t.Object({
      from: opt(t.String({ maxLength: 40, description: "RFC 3339 time or date" })), to: opt(t.String({ maxLength: 40 })), user: opt(t.String({ maxLength: 128, description: "sub or username" })),
      client: opt(t.String({ maxLength: 128 })), event: opt(t.String({ maxLength: 500 })), ...page,
    }),
    handle: (s, c, _a, i) => listAudit(s, c, i.query),
  },
];
