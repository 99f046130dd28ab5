/**
 * Verifies one SD-JWT VC presentation with Key Binding, in the order of
 * OpenID4VP §8.6 and RFC 9901 §7: format (JSON nesting depth bounded first), header typ, vct, validity
 * times, disclosure structure, KB claims, then (through @sd-jwt/sd-jwt-vc)
 * the issuer signature via a trusted x5c chain, the KB signature by cnf.jwk,
 * and the Token Status List. Every failure is a PresentationError naming its check.
 * Deliberately not checked: type metadata (vct resolution), `iss` against the
 * certificate's names (HAIP identifies issuers by x5c), non-ES256 algorithms.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-8.6
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-7.1
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-sd-jwt-vc#section-3.2
 */
import { createHash } from "node:crypto";
import { SDJwt } from "@sd-jwt/core";
import { digest } from "@sd-jwt/crypto-nodejs";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import type { JWK } from "jose";
import { checkDisclosures } from "./check-disclosures.ts";
import { checkKbJwtClaims, verifyKbSignature } from "./check-kb-jwt-claims.ts";
import { checkNestingDepth } from "./check-nesting-depth.ts";
import { ecJwkThumbprint } from "./ec-crypto.ts";
import { PresentationError, asCheck } from "./presentation-error.ts";
import { checkStatusValue, createStatusListFetcher, verifyStatusListToken } from "./status-list.ts";
import { X5cJwsError, verifyX5cJws } from "./verify-x5c-jws.ts";
import type { StatusListFetcher } from "./status-list.ts";
import type { TrustStore } from "./trust-store.ts";
import { trustForCredentialType } from "./trusted-lists/scoped-trust.ts";

export interface SdJwtVcExpectations {
  nonce: string;
  clientId: string;
  /** vct values the credential query accepts. */
  vctValues: readonly string[];
  trust: TrustStore;
  /** Seconds since the epoch. */
  now: number;
  statusLists?: StatusListFetcher;
  /** Clock skew tolerated on the credential's exp/nbf/iat (default 60 s). */
  skewSeconds?: number;
  kbMaxAgeSeconds?: number;
  kbMaxFutureSeconds?: number;
}

export interface VerifiedSdJwtVc {
  vct: string;
  iss?: string;
  /** The issuer-signed claims plus exactly the disclosed ones; `_sd_alg`, `cnf` and `status` removed. */
  claims: Record<string, unknown>;
  holderKey: JWK;
  /** RFC 7638 thumbprint of cnf.jwk: stable for one issued credential, not across re-issuance. */
  holderKeyThumbprint: string;
  /** base64url SHA-256 of the issuer's leaf certificate (x5c[0]): which trusted key signed this credential. */
  issuerCertificateHash: string;
}

const SD_JWT_VC_TYP = "dc+sd-jwt";
const NEVER_DISCLOSED = new Set(["iss", "nbf", "exp", "cnf", "vct", "status"]);
const hasher = (data: string | ArrayBuffer, alg: string): Uint8Array => digest(data, alg);
const defaultStatusLists = createStatusListFetcher();

/** @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.3.6 */
export async function verifySdJwtVc(presentation: string, expected: SdJwtVcExpectations): Promise<VerifiedSdJwtVc> {
  const lastTilde = presentation.lastIndexOf("~");
  if (lastTilde < 0) throw new PresentationError("credential_format", "the presentation is not an SD-JWT");
  if (lastTilde === presentation.length - 1) throw new PresentationError("kb_missing", "the presentation has no Key Binding JWT");
  const presentedWithoutKb = presentation.slice(0, lastTilde + 1);
  checkNestingDepth(presentation);

  const decoded = await asCheck("credential_format", "the presentation is not a well-formed SD-JWT", () => SDJwt.fromEncode(presentation, hasher));
  const header = decoded.jwt?.header ?? {};
  const payload = decoded.jwt?.payload;
  if (!payload || !decoded.kbJwt?.header || !decoded.kbJwt.payload) throw new PresentationError("credential_format", "the presentation is not a well-formed SD-JWT");

  if (header.typ !== SD_JWT_VC_TYP) throw new PresentationError("credential_typ", `the credential typ is ${String(header.typ)}, not ${SD_JWT_VC_TYP}`);
  if (typeof payload.vct !== "string" || !expected.vctValues.includes(payload.vct)) {
    throw new PresentationError("credential_vct", "the credential type (vct) was not requested");
  }
  checkValidityTimes(payload, expected.now, expected.skewSeconds ?? 60);

  const sdAlg = payload._sd_alg ?? "sha-256";
  if (sdAlg !== "sha-256") throw new PresentationError("disclosure_digest", `_sd_alg ${String(sdAlg)} is not supported`);
  const disclosures = await Promise.all((decoded.disclosures ?? []).map(async (d) => ({ disclosure: d, digest: await d.digest({ alg: "sha-256", hasher }) })));
  checkDisclosures(payload, disclosures);
  // SD-JWT VC §3.2.2.2: these claims must be plaintext, or a holder could pick among issuer-signed alternatives.
  const topLevel = new Set(Array.isArray(payload._sd) ? (payload._sd as unknown[]) : []);
  for (const { disclosure, digest: d } of disclosures) {
    if (disclosure.key !== undefined && NEVER_DISCLOSED.has(disclosure.key) && topLevel.has(d)) {
      throw new PresentationError("disclosure_reserved_name", `the credential makes ${disclosure.key} selectively disclosable`);
    }
  }

  checkKbJwtClaims(decoded.kbJwt.header, decoded.kbJwt.payload as unknown as Record<string, unknown>, presentedWithoutKb, {
    nonce: expected.nonce,
    clientId: expected.clientId,
    now: expected.now,
    maxAgeSeconds: expected.kbMaxAgeSeconds,
    maxFutureSeconds: expected.kbMaxFutureSeconds,
  });

  // Anchors from a trusted list count only for the credential types it was subscribed for (a PID provider is no mDL issuer).
  const trust = trustForCredentialType(expected.trust, { vct: payload.vct as string });
  const statusUri = readStatusUri(payload);
  const now = new Date(expected.now * 1000);
  const statusLists = expected.statusLists ?? defaultStatusLists;
  // The library wraps status-list verifier errors in its own exception; remember ours to keep the check name.
  let statusFailure: PresentationError | undefined;
  const instance = new SDJwtVcInstance({
    hasher,
    verifier: async (data, signature) => {
      try {
        await verifyX5cJws(`${data}.${signature}`, trust, now);
        return true;
      } catch (error) {
        if (error instanceof X5cJwsError && error.failure === "trust") throw new PresentationError("issuer_trust", "the credential issuer is not trusted", { internal: error.message });
        throw new PresentationError("credential_signature", "the credential's issuer signature does not verify", { internal: error instanceof Error ? error.message : String(error) });
      }
    },
    kbVerifier: (data, signature, issuerPayload) => verifyKbSignature(data, signature, issuerPayload.cnf),
    statusListFetcher: (uri) => statusLists.fetchToken(uri, expected.now),
    statusVerifier: async (data, signature) => {
      try {
        await verifyStatusListToken(`${data}.${signature}`, statusUri ?? "", trust, expected.now);
        return true;
      } catch (error) {
        statusFailure = error instanceof PresentationError ? error : new PresentationError("status_signature", "the status list does not verify");
        if (statusUri) statusLists.evict?.(statusUri);
        throw statusFailure;
      }
    },
    statusValidator: async (status) => checkStatusValue(status),
  });
  let verified: Awaited<ReturnType<SDJwtVcInstance["verify"]>>;
  try {
    verified = await instance.verify(presentation, { currentDate: expected.now, skewSeconds: expected.skewSeconds ?? 60, keyBindingNonce: expected.nonce });
  } catch (error) {
    if (error instanceof PresentationError) throw error;
    if (statusFailure) throw statusFailure;
    const message = error instanceof Error ? error.message : String(error);
    if (/index|out of bounds|range/i.test(message)) throw new PresentationError("status_index", "the credential's status index is not in its list", { internal: message });
    if (/sd_hash/i.test(message)) throw new PresentationError("kb_sd_hash", "the Key Binding JWT sd_hash does not cover the presented disclosures", { internal: message });
    throw new PresentationError("credential_invalid", "the credential could not be verified", { internal: message });
  }
  const claims = { ...(verified.payload as Record<string, unknown>) };
  const holderKey = (claims.cnf as { jwk: JWK }).jwk;
  delete claims._sd_alg;
  delete claims.cnf;
  delete claims.status;
  const leaf = (header.x5c as string[])[0]!;
  return {
    vct: payload.vct,
    iss: typeof payload.iss === "string" ? payload.iss : undefined,
    claims,
    holderKey,
    holderKeyThumbprint: ecJwkThumbprint(holderKey).toString("base64url"),
    issuerCertificateHash: createHash("sha256").update(Buffer.from(leaf, "base64")).digest("base64url"),
  };
}

function checkValidityTimes(payload: Record<string, unknown>, now: number, skew: number): void {
  const { exp, nbf, iat } = payload;
  for (const [name, value] of [["exp", exp], ["nbf", nbf], ["iat", iat]] as const) {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) throw new PresentationError("credential_format", `the credential's ${name} is not a number`);
  }
  if (typeof exp === "number" && exp + skew < now) throw new PresentationError("credential_expired", "the credential has expired");
  if (typeof nbf === "number" && nbf - skew > now) throw new PresentationError("credential_not_yet_valid", "the credential is not yet valid");
  if (typeof iat === "number" && iat - skew > now) throw new PresentationError("credential_not_yet_valid", "the credential is issued in the future");
}

function readStatusUri(payload: Record<string, unknown>): string | undefined {
  const status = payload.status as { status_list?: { uri?: unknown; idx?: unknown } } | undefined;
  const list = status?.status_list;
  if (list === undefined) return undefined;
  if (typeof list.uri !== "string" || typeof list.idx !== "number" || !Number.isInteger(list.idx) || list.idx < 0) {
    throw new PresentationError("status_invalid", "the credential's status_list reference is malformed");
  }
  return list.uri;
}
