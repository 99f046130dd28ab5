/**
 * The wallet's side of request_uri: parse the wallet URL, fetch the request
 * object (GET, or POST with wallet_nonce and wallet_metadata when
 * request_uri_method=post) and validate it the way a wallet must: typ,
 * signature by the x5c leaf, client_id prefix bound to that leaf, aud,
 * wallet_nonce echoed. Written independently of src/oid4vp on purpose.
 */
import { compactVerify, decodeProtectedHeader, importX509 } from "jose";
import { x509 } from "../../../src/oid4vp/x509.ts";

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface RequestObjectPayload {
  client_id: string;
  response_type: string;
  response_mode: "direct_post" | "direct_post.jwt" | "dc_api" | "dc_api.jwt";
  response_uri: string;
  nonce: string;
  state?: string;
  dcql_query: { credentials: Array<Record<string, unknown> & { id: string; format: string; claims?: Array<{ id?: string; path: Array<string | number | null> }>; claim_sets?: string[][] }>; credential_sets?: Array<{ options: string[][]; required?: boolean }> };
  client_metadata?: { jwks?: { keys: Array<Record<string, unknown>> }; encrypted_response_enc_values_supported?: string[] };
  wallet_nonce?: string;
  aud?: string;
  [key: string]: unknown;
}

export interface FetchedRequest {
  jwt: string;
  payload: RequestObjectPayload;
  header: Record<string, unknown>;
  walletNonce?: string;
}

export interface WalletUrlParts {
  clientId: string;
  requestUri: string;
  requestUriMethod: "get" | "post";
}

export function parseWalletUrl(walletUrl: string): WalletUrlParts {
  const url = new URL(walletUrl);
  const clientId = url.searchParams.get("client_id");
  const requestUri = url.searchParams.get("request_uri");
  if (!clientId || !requestUri) throw new Error("wallet URL lacks client_id or request_uri");
  return { clientId, requestUri, requestUriMethod: url.searchParams.get("request_uri_method") === "post" ? "post" : "get" };
}

export async function fetchRequestObject(walletUrl: string, fetchFn: FetchLike, options: { forceGet?: boolean } = {}): Promise<FetchedRequest> {
  const parts = parseWalletUrl(walletUrl);
  let response: Response;
  let walletNonce: string | undefined;
  if (parts.requestUriMethod === "post" && !options.forceGet) {
    walletNonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
    const form = new URLSearchParams({
      wallet_nonce: walletNonce,
      wallet_metadata: JSON.stringify({
        vp_formats_supported: { "dc+sd-jwt": { "sd-jwt_alg_values": ["ES256"], "kb-jwt_alg_values": ["ES256"] } },
        authorization_encryption_alg_values_supported: ["ECDH-ES"],
        authorization_encryption_enc_values_supported: ["A128GCM", "A256GCM"],
      }),
    });
    response = await fetchFn(parts.requestUri, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/oauth-authz-req+jwt" } });
  } else {
    response = await fetchFn(parts.requestUri, { headers: { accept: "application/oauth-authz-req+jwt" } });
  }
  if (!response.ok) throw new Error(`request_uri answered ${response.status}`);
  const jwt = (await response.text()).trim();
  const validated = await validateRequestObject(jwt, parts.clientId);
  if (walletNonce !== undefined && validated.payload.wallet_nonce !== walletNonce) throw new Error("request object does not echo wallet_nonce");
  if (walletNonce === undefined && validated.payload.wallet_nonce !== undefined) throw new Error("request object carries a wallet_nonce nobody sent");
  return { ...validated, walletNonce };
}

/** Validates a request object as a wallet would; `expectedClientId` is the wallet URL's client_id. */
export async function validateRequestObject(jwt: string, expectedClientId?: string): Promise<FetchedRequest> {
  const header = decodeProtectedHeader(jwt) as Record<string, unknown>;
  if (header.typ !== "oauth-authz-req+jwt") throw new Error(`request object typ ${String(header.typ)}`);
  if (header.alg !== "ES256") throw new Error(`request object alg ${String(header.alg)}`);
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || typeof x5c[0] !== "string") throw new Error("request object has no x5c");
  const leafPem = `-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`;
  const { payload: raw } = await compactVerify(jwt, await importX509(leafPem, "ES256"));
  const payload = JSON.parse(new TextDecoder().decode(raw)) as RequestObjectPayload;
  if (expectedClientId !== undefined && payload.client_id !== expectedClientId) throw new Error("client_id in URL and request object differ");
  if (payload.aud !== "https://self-issued.me/v2") throw new Error(`request object aud ${String(payload.aud)}`);
  if (payload.response_type !== "vp_token") throw new Error("response_type is not vp_token");
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp === "number" && payload.exp < now) throw new Error("request object expired");
  const leafDer = Buffer.from(x5c[0], "base64");
  if (payload.client_id.startsWith("x509_hash:")) {
    const hash = new Bun.CryptoHasher("sha256").update(leafDer).digest("base64url");
    if (payload.client_id !== `x509_hash:${hash}`) throw new Error("x509_hash does not match the x5c leaf");
  } else if (payload.client_id.startsWith("x509_san_dns:")) {
    const dns = payload.client_id.slice("x509_san_dns:".length);
    const san = new x509.X509Certificate(leafDer).getExtension(x509.SubjectAlternativeNameExtension);
    if (!san?.names.items.some((n) => n.type === "dns" && n.value === dns)) throw new Error("x509_san_dns name is not in the leaf SAN");
    if (new URL(payload.response_uri).hostname !== dns) throw new Error("response_uri host differs from x509_san_dns name");
  } else {
    throw new Error(`unsupported client_id prefix in ${payload.client_id}`);
  }
  return { jwt, payload, header };
}
