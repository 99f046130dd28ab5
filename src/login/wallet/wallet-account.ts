import { hashSecret, randomId } from "../../lib/ids.ts";
import { nowSeconds } from "../../lib/time.ts";
import type { Store, User } from "../../store/index.ts";
import { addUser } from "../../tenant/index.ts";
import { ACR } from "../acr.ts";
import type { Authentication } from "../authentication.ts";
import type { PresentationResult } from "./wallet-verifier.ts";

/** Claim names that belong to the credential or the token, never to the person: they stay out of the id_token. */
const NOT_PERSONAL = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "vct", "vct#integrity", "cnf", "status", "_sd_alg", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "sid"]);
/** Claims that identify the subject on their own, with the issuer; the first one present is used. */
const SUBJECT_IDENTIFIERS = ["sub", "personal_administrative_number"];
/** Without one: the PID claims that, with the issuer, name one person across credentials. */
const IDENTIFYING = ["given_name", "family_name", "birthdate"];

/** The verified claims of all credentials, without credential mechanics: what relying parties receive. */
export function personalClaims(result: PresentationResult): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const claims of Object.values(result.claims)) {
    for (const [name, value] of Object.entries(claims)) if (!NOT_PERSONAL.has(name)) merged[name] = value;
  }
  return merged;
}

/**
 * The wallet's stable key at this tenant: the issuer, as the certificate that signed the credential
 * (its `iss` claim is not bound to that certificate, so another trusted issuer could claim it), plus
 * a subject identifier claim where the credential has one (`sub`, `personal_administrative_number`),
 * else the PID's name and birth date. Not the holder key: a wallet gets a new one with every re-issued
 * PID. An issuer that changes its signing certificate therefore starts new links (README).
 */
export function walletLinkKey(result: PresentationResult): string {
  const [queryId, credentials] = Object.entries(result.credentials)[0] ?? [];
  const credential = credentials?.[0];
  const claims = queryId ? result.claims[queryId] ?? {} : {};
  const issuer = credential?.issuerCertificateHash ?? "";
  const subjectClaim = SUBJECT_IDENTIFIERS.find((name) => typeof claims[name] === "string");
  const identifying = subjectClaim
    ? [[subjectClaim, claims[subjectClaim]]]
    : IDENTIFYING.filter((name) => claims[name] !== undefined).map((name) => [name, claims[name]]);
  const basis = identifying.length > 0 ? identifying : Object.entries(claims).filter(([name]) => !NOT_PERSONAL.has(name)).sort(([a], [b]) => a.localeCompare(b));
  return hashSecret(JSON.stringify([credential?.vct ?? "", issuer, basis]));
}

export type WalletAccountResult = { ok: true; authentication: Authentication; user: User; created: boolean } | { ok: false; reason: "account_disabled" | "not_linked" };

/**
 * Signs in the account this wallet is linked to, or signs the person up: a new account with no
 * password, named after the PID, linked to the wallet (where the tenant allows sign-up). The disclosed claims ride in the grant.
 */
export async function walletAccount(store: Store, tenant: string, result: PresentationResult, allowSignup: boolean): Promise<WalletAccountResult> {
  const linkKey = walletLinkKey(result);
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

export type LinkResult = "linked" | "already_linked" | "linked_to_another_account";

/** Links the presenting wallet to a signed-in account, unless it already belongs to another. */
export async function linkWallet(store: Store, tenant: string, sub: string, result: PresentationResult): Promise<LinkResult> {
  const linkKey = walletLinkKey(result);
  const owner = await store.walletLinks.find(tenant, linkKey);
  if (owner === sub) return "already_linked";
  if (owner !== null) return "linked_to_another_account";
  return (await store.walletLinks.add(tenant, linkKey, sub, nowSeconds())) ? "linked" : "linked_to_another_account";
}
