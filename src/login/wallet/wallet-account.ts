import { hashSecret, randomId } from "../../lib/ids.ts";
import { nowSeconds } from "../../lib/time.ts";
import type { Store, User } from "../../store/index.ts";
import { addUser } from "../../tenant/index.ts";
import { ACR } from "../acr.ts";
import type { Authentication } from "../authentication.ts";
import type { PresentationResult } from "../../verifier/accept-response.ts";

/**
 * Claim names that belong to the credential, the token or Sigil's own account, never to what a
 * credential may assert about the person: they stay out of the id_token and userinfo, whatever a
 * query asked for. Names ending in `_verified` are kept out too: Sigil states what it verified.
 */
const NEVER_RELEASED = new Set([
  "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "vct", "vct#integrity", "cnf", "status", "_sd", "_sd_alg",
  "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "s_hash", "sid", "role", "groups", "preferred_username",
]);

/** The claims relying parties receive: only what the chosen credential's query asked for, minus NEVER_RELEASED. */
export function personalClaims(result: PresentationResult): Record<string, unknown> {
  const released: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result.account?.claims ?? {})) {
    if (!NEVER_RELEASED.has(name) && !name.endsWith("_verified")) released[name] = value;
  }
  return released;
}

/**
 * The wallet's stable key at this tenant (OpenID4VP §14.4): the issuer, as the certificate that
 * signed the credential (its `iss` claim is not bound to that certificate, so another trusted issuer
 * could claim it), the credential type, and the subject identifier claim (name and value) of that
 * one credential. Never names or birth dates, which two people share; not the holder key, which
 * changes with every re-issued PID. An issuer that changes its signing certificate therefore starts
 * new links (README). Null when the presentation carried no identifier: it binds no account.
 * An mdoc PID keys the same way: `vct` is its docType (eu.europa.ec.eudi.pid.1), the certificate its
 * document signer's, the identifier its personal_administrative_number (oid4vp/mdoc/verify-mdoc.ts).
 */
export function walletLinkKey(result: PresentationResult): string | null {
  const account = result.account;
  if (!account?.identifier) return null;
  // The shape of the keys made before identifiers were required, so that links keyed by an identifier then still hold.
  return hashSecret(JSON.stringify([account.vct, account.issuerCertificateHash, [[account.identifier.name, account.identifier.value]]]));
}

export type WalletAccountResult =
  | { ok: true; authentication: Authentication; user: User; created: boolean }
  | { ok: false; reason: "account_disabled" | "not_linked" | "no_identifier" };

/**
 * Signs in the account this wallet is linked to, or signs the person up: a new account with no
 * password, named after the PID, linked to the wallet (where the tenant allows sign-up). The disclosed claims ride in the grant.
 */
export async function walletAccount(store: Store, tenant: string, result: PresentationResult, allowSignup: boolean): Promise<WalletAccountResult> {
  const linkKey = walletLinkKey(result);
  if (!linkKey) return { ok: false, reason: "no_identifier" };
  const claims = personalClaims(result);
  let created = false;
  let user = await findLinkedUser(store, tenant, linkKey);
  if (!user && !allowSignup) return { ok: false, reason: "not_linked" };
  if (!user) {
    const given = typeof claims.given_name === "string" ? claims.given_name : "";
    const family = typeof claims.family_name === "string" ? claims.family_name : "";
    const base = `${given}.${family}`.normalize("NFKD").replace(/[^A-Za-z0-9.]/g, "").toLowerCase().replace(/^\.+|\.+$/g, "") || "wallet";
    const newUser = await addUser(store, tenant, {
      username: `${base.slice(0, 100)}-${randomId(4).replace(/[^A-Za-z0-9]/g, "x").toLowerCase()}`,
      noPassword: true, name: [given, family].filter(Boolean).join(" ") || null,
    });
    if (!(await store.walletLinks.add(tenant, linkKey, newUser.sub, nowSeconds()))) {
      // Another sign-up of the same wallet won the race: use its account, drop ours.
      await store.users.remove(tenant, newUser.username);
      user = await findLinkedUser(store, tenant, linkKey);
    } else {
      user = newUser;
      created = true;
    }
  }
  if (!user || user.disabled || user.role === "siponly") return { ok: false, reason: "account_disabled" };
  return {
    ok: true, user, created,
    // RFC 8176: proof of possession of the wallet's hardware-bound key, after the wallet's own user check.
    authentication: { tenant, sub: user.sub, amr: ["hwk", "user"], acr: ACR.wallet, authTime: nowSeconds(), claims },
  };
}

async function findLinkedUser(store: Store, tenant: string, linkKey: string): Promise<User | null> {
  const sub = await store.walletLinks.find(tenant, linkKey);
  return sub ? store.users.findBySub(tenant, sub) : null;
}

export type LinkResult = "linked" | "already_linked" | "linked_to_another_account" | "no_identifier";

/** Links the presenting wallet to a signed-in account, unless it already belongs to another. */
export async function linkWallet(store: Store, tenant: string, sub: string, result: PresentationResult): Promise<LinkResult> {
  const linkKey = walletLinkKey(result);
  if (!linkKey) return "no_identifier";
  const owner = await store.walletLinks.find(tenant, linkKey);
  if (owner === sub) return "already_linked";
  if (owner !== null) return "linked_to_another_account";
  return (await store.walletLinks.add(tenant, linkKey, sub, nowSeconds())) ? "linked" : "linked_to_another_account";
}
