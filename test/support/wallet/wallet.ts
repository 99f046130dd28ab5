/**
 * A test holder: owns a P-256 key, obtains PIDs from a test issuer, answers a
 * request object with only the requested disclosures and a KB-JWT, encrypts
 * the response to the transaction's key, and posts it. Every switch breaks
 * exactly one thing a verifier must check. `fetch` is a parameter so unit tests
 * drive the engine in memory and black-box tests drive a real server.
 */
import { digest } from "@sd-jwt/crypto-nodejs";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { CompactEncrypt, SignJWT, exportJWK, generateKeyPair, importJWK } from "jose";
import type { JWK } from "jose";
import { fetchRequestObject, validateRequestObject } from "./fetch-request-object.ts";
import type { FetchLike, FetchedRequest, RequestObjectPayload } from "./fetch-request-object.ts";
import { DEFAULT_PID_CLAIMS, STATUS_REVOKED, STATUS_VALID, createImpostorIssuer } from "./test-issuer.ts";
import type { TestIssuer } from "./test-issuer.ts";
import { presentMdoc } from "./mdoc-holder.ts";
import type { MdocHolder, MdocSwitch } from "./mdoc-holder.ts";
import type { MdocIssuer } from "./mdoc-issuer.ts";

export const WALLET_SWITCHES = [
  "wrongNonce", "wrongAud", "bareClientId", "badKbSignature", "kbIatPast", "kbIatFuture", "wrongSdHash",
  "tamperedDisclosure", "badIssuerSignature", "untrustedChain", "expiredCredential", "revokedStatus",
  "cleartext", "otherTransactionKey", "wrongEnc", "wrongState", "missingKbJwt", "wrongTyp", "vctNotRequested",
  "omitRequestedClaim", "wrongKbTyp",
] as const;
export type WalletSwitch = (typeof WALLET_SWITCHES)[number];

export interface TestWallet {
  holderKeys: CryptoKeyPair;
  holderJwk: JWK;
  issuer: TestIssuer;
  /** The PID's selectively disclosable claims (default: DEFAULT_PID_CLAIMS). */
  claims?: Record<string, unknown>;
  /** The PID's issuer-signed plaintext claims, which every presentation carries. */
  plaintext?: Record<string, unknown>;
  /** The holder's mdocs (PID, mDL) and device key; mso_mdoc queries are answered with it. */
  mdoc?: MdocHolder;
}

export interface TestWalletOptions {
  claims?: Record<string, unknown>;
  plaintext?: Record<string, unknown>;
  /** Also hold mdocs (PID, mDL) from this issuer, bound to the same device key. */
  mdocIssuer?: MdocIssuer;
}

export interface PresentOptions {
  fetch: FetchLike;
  switches?: readonly WalletSwitch[];
  /** Content encryption for direct_post.jwt (default: A128GCM). */
  enc?: "A128GCM" | "A256GCM";
  /** Put a status list reference in the PID (index 0, or the revoked one under revokedStatus). */
  withStatus?: boolean;
  /** Fetch request_uri by GET even when the URL says post. */
  forceGet?: boolean;
  /** Under otherTransactionKey: the published key of another live transaction (default: a fresh stranger key). */
  otherTransactionJwk?: JWK;
  /**
   * Answer these credential queries with other holders' credentials (one or several presentations):
   * a wallet (or an attacker) combining credentials of different people or issuers in one response.
   */
  answerWith?: Record<string, TestWallet | TestWallet[]>;
  /** The KB-JWT aud when it is not the client_id: over the DC API, `origin:<Origin>` (OpenID4VP 1.0 Appendix A.4). */
  audience?: string;
  /** Switches that break one mdoc rule each (mdoc-holder.ts). */
  mdocSwitches?: readonly MdocSwitch[];
  /** Under credential_sets: answer the option holding this credential query id instead of the first option. */
  preferQuery?: string;
}

export interface PresentResult {
  request: FetchedRequest;
  /** The form body sent to response_uri. */
  body: URLSearchParams;
  status: number;
  response: unknown;
}

export async function createTestWallet(issuer: TestIssuer, options: TestWalletOptions = {}): Promise<TestWallet> {
  const holderKeys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x, y } = await exportJWK(holderKeys.publicKey);
  const holderJwk = { kty, crv, x, y };
  const mdoc = options.mdocIssuer ? { issuer: options.mdocIssuer, deviceKeys: holderKeys, deviceJwk: holderJwk } : undefined;
  return { holderKeys, holderJwk, issuer, claims: options.claims, plaintext: options.plaintext, mdoc };
}

/** Wallet URL (or a request object JWT) → fetched, validated, answered, posted. */
export async function presentToVerifier(wallet: TestWallet, walletUrlOrRequestObject: string, options: PresentOptions): Promise<PresentResult> {
  const request = walletUrlOrRequestObject.includes("://")
    ? await fetchRequestObject(walletUrlOrRequestObject, options.fetch, { forceGet: options.forceGet })
    : await validateRequestObject(walletUrlOrRequestObject);
  const body = await buildResponseBody(wallet, request.payload, options);
  const answer = await options.fetch(request.payload.response_uri, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const text = await answer.text();
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { request, body, status: answer.status, response };
}

/** The form body a wallet posts to response_uri, with the switches applied. */
export async function buildResponseBody(wallet: TestWallet, request: RequestObjectPayload, options: Omit<PresentOptions, "fetch">): Promise<URLSearchParams> {
  const on = new Set(options.switches ?? []);
  const vpToken = await buildVpToken(wallet, request, options);
  const state = on.has("wrongState") ? "not-the-state" : request.state;
  if (request.response_mode === "direct_post" || on.has("cleartext")) {
    const form = new URLSearchParams({ vp_token: JSON.stringify(vpToken) });
    if (state !== undefined) form.set("state", state);
    return form;
  }
  return new URLSearchParams({ response: await encryptResponse(request, { vp_token: vpToken, state }, on, options.enc ?? "A128GCM", options.otherTransactionJwk) });
}

/** The vp_token (credential query id → presentations) the wallet would send, switches applied. */
export async function buildVpToken(wallet: TestWallet, request: RequestObjectPayload, options: Omit<PresentOptions, "fetch"> = {}): Promise<Record<string, string[]>> {
  const on = new Set(options.switches ?? []);
  const vpToken: Record<string, string[]> = {};
  for (const query of chooseQueries(request, options.preferQuery)) {
    const holders = [options.answerWith?.[query.id] ?? wallet].flat();
    vpToken[query.id] = await Promise.all(holders.map((holder) => {
      if (query.format !== "mso_mdoc") return presentFor(holder, request, query, on, options.withStatus ?? on.has("revokedStatus"), options.audience);
      if (!holder.mdoc) throw new Error("this test wallet holds no mdoc");
      // Over the DC API the platform's Origin (the SD-JWT audience minus "origin:") goes into the mdoc handover.
      const origin = options.audience?.startsWith("origin:") ? options.audience.slice("origin:".length) : undefined;
      return presentMdoc(holder.mdoc, request, query, { switches: options.mdocSwitches, withStatus: options.withStatus, origin });
    }));
  }
  return vpToken;
}

type CredentialQuery = RequestObjectPayload["dcql_query"]["credentials"][number];

function chooseQueries(request: RequestObjectPayload, prefer?: string): CredentialQuery[] {
  const { credentials, credential_sets } = request.dcql_query;
  if (!credential_sets) return credentials;
  const pick = (options: string[][]) => (prefer ? options.find((option) => option.includes(prefer)) : undefined) ?? options[0] ?? [];
  const ids = new Set(credential_sets.filter((set) => set.required !== false).flatMap((set) => pick(set.options)));
  return credentials.filter((c) => ids.has(c.id));
}

async function presentFor(wallet: TestWallet, request: RequestObjectPayload, query: CredentialQuery, on: Set<WalletSwitch>, withStatus: boolean, audience?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const issuer = on.has("untrustedChain") ? await createImpostorIssuer(wallet.issuer) : wallet.issuer;
  const credential = await issuer.issuePid({
    holderJwk: wallet.holderJwk,
    claims: wallet.claims,
    plaintext: wallet.plaintext,
    vct: on.has("vctNotRequested") ? "urn:example:not-requested:1" : firstVct(query),
    typ: on.has("wrongTyp") ? "vc+sd-jwt" : undefined,
    ...(on.has("expiredCredential") ? { iat: now - 86400 * 400, exp: now - 86400 } : {}),
    statusIdx: withStatus ? (on.has("revokedStatus") ? STATUS_REVOKED : STATUS_VALID) : undefined,
  });
  const sdJwt = new SDJwtVcInstance({ hasher: digest });
  const held = { ...wallet.plaintext, ...(wallet.claims ?? DEFAULT_PID_CLAIMS) };
  let presented = await sdJwt.present(credential, presentationFrame(query, held, on.has("omitRequestedClaim")) as Parameters<typeof sdJwt.present>[1]);
  if (on.has("badIssuerSignature")) presented = corruptIssuerSignature(presented);
  if (on.has("tamperedDisclosure")) presented = tamperFirstDisclosure(presented);
  if (on.has("missingKbJwt")) return presented;

  const aud = on.has("bareClientId") ? request.client_id.replace(/^[a-z0-9_]+:/, "") : on.has("wrongAud") ? "x509_hash:someone-else" : (audience ?? request.client_id);
  const iat = on.has("kbIatPast") ? now - 365 * 86400 : on.has("kbIatFuture") ? now + 365 * 86400 : now;
  const sdHash = new Bun.CryptoHasher("sha256").update(on.has("wrongSdHash") ? `${presented}extra~` : presented).digest("base64url");
  const signingKey = on.has("badKbSignature") ? (await generateKeyPair("ES256")).privateKey : wallet.holderKeys.privateKey;
  const kb = await new SignJWT({ iat, aud, nonce: on.has("wrongNonce") ? "wrong-nonce-0123456789abcdef" : request.nonce, sd_hash: sdHash })
    .setProtectedHeader({ alg: "ES256", typ: on.has("wrongKbTyp") ? "JWT" : "kb+jwt" })
    .sign(signingKey);
  return presented + kb;
}

/**
 * DCQL claims → an @sd-jwt presentation frame. With claim_sets, the first option the credential
 * can satisfy (OpenID4VP 1.0 §6.4.1: "the Wallet SHOULD return the first option that it can
 * satisfy"); where none can be, this wallet does not refuse as §6.4.1 says it MUST, but presents
 * what the first option finds, so that the verifier's own check is what a test exercises.
 */
function presentationFrame(query: CredentialQuery, held: Record<string, unknown>, omitOne: boolean): Record<string, unknown> {
  let claims = query.claims ?? [];
  const sets = query.claim_sets ?? [];
  const satisfiable = (set: string[]) => set.every((id) => claims.some((c) => c.id === id && resolves(held, c.path)));
  const set = sets.find(satisfiable) ?? sets[0];
  if (set) claims = claims.filter((c) => c.id !== undefined && set.includes(c.id));
  if (omitOne) claims = claims.slice(1);
  const frame: Record<string, unknown> = {};
  for (const claim of claims) {
    let node = frame;
    const path = claim.path;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const last = i === path.length - 1 || typeof path[i + 1] !== "string";
      if (typeof key !== "string") break;
      if (last) {
        node[key] = true;
        break;
      }
      node = (node[key] ??= {}) as Record<string, unknown>;
    }
  }
  return frame;
}

/** Does a claims path pointer (OpenID4VP 1.0 §7) select anything in these claims? */
function resolves(value: unknown, path: readonly (string | number | null)[]): boolean {
  if (path.length === 0) return value !== undefined;
  const [head, ...rest] = path;
  if (typeof head === "string") return typeof value === "object" && value !== null && !Array.isArray(value) && head in value && resolves((value as Record<string, unknown>)[head], rest);
  if (!Array.isArray(value)) return false;
  return head === null || head === undefined ? value.some((item) => resolves(item, rest)) : resolves(value[head], rest);
}

function firstVct(query: CredentialQuery): string | undefined {
  const meta = query.meta as { vct_values?: string[] } | undefined;
  return meta?.vct_values?.[0];
}

function corruptIssuerSignature(presented: string): string {
  const [jwt, ...rest] = presented.split("~");
  const [h, p, s] = jwt!.split(".");
  const signature = Buffer.from(s!, "base64url");
  signature[5] = signature[5]! ^ 0xff;
  return [`${h}.${p}.${signature.toString("base64url")}`, ...rest].join("~");
}

function tamperFirstDisclosure(presented: string): string {
  const parts = presented.split("~");
  const index = parts.findIndex((part, i) => i > 0 && part.length > 0);
  if (index < 0) throw new Error("nothing to tamper with: no disclosure presented");
  const [salt, key] = JSON.parse(Buffer.from(parts[index]!, "base64url").toString()) as [string, string, unknown];
  parts[index] = Buffer.from(JSON.stringify([salt, key, "Mallory"])).toString("base64url");
  return parts.join("~");
}

async function encryptResponse(request: RequestObjectPayload, payload: Record<string, unknown>, on: Set<WalletSwitch>, enc: string, otherJwk?: JWK): Promise<string> {
  const jwk = request.client_metadata?.jwks?.keys.find((k) => k.use === "enc" || k.alg === "ECDH-ES");
  if (!jwk) throw new Error("request object has no encryption key");
  let key = await importJWK(jwk as JWK, "ECDH-ES");
  let kid = jwk.kid as string;
  if (on.has("otherTransactionKey") && otherJwk) {
    key = await importJWK(otherJwk, "ECDH-ES");
    kid = otherJwk.kid ?? "another-transaction-key";
  } else if (on.has("otherTransactionKey")) {
    key = (await generateKeyPair("ECDH-ES", { crv: "P-256" })).publicKey;
    kid = "another-transaction-key";
  }
  const offered = request.client_metadata?.encrypted_response_enc_values_supported ?? ["A128GCM"];
  const chosen = on.has("wrongEnc") ? "A192GCM" : offered.includes(enc) ? enc : offered[0]!;
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "ECDH-ES", enc: chosen, kid })
    .encrypt(key);
}
