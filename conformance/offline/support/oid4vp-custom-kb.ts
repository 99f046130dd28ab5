// An answer whose Key Binding JWT the test signs itself (SD-JWT §4.3; OpenID4VP 1.0 §8.2-8.3).
import { CompactEncrypt, SignJWT, importJWK, type JWK } from "jose";
import type { FetchedRequest } from "../../../test/support/wallet/fetch-request-object.ts";
import { buildVpToken, type PresentResult } from "../../../test/support/wallet/wallet.ts";
import { nowSeconds } from "./op.ts";
import type { Verifier } from "./oid4vp-verifier.ts";

/**
 * Answers with a Key Binding JWT the test signs itself (the holder's key, the request's nonce and
 * client_id unless overridden), for the modules whose KB change no wallet switch makes exactly
 * (the suite's invalid aud is the client_id with "INVALID" appended).
 */
export async function presentWithCustomKb(verifier: Verifier, fetched: FetchedRequest, kb: { aud?: string; nonce?: string; iat?: number }): Promise<PresentResult> {
  const request = fetched.payload;
  const bare = await buildVpToken(verifier.wallet, request, { switches: ["missingKbJwt"] });
  const vpToken: Record<string, string[]> = {};
  for (const [id, presentations] of Object.entries(bare)) {
    vpToken[id] = await Promise.all(presentations.map(async (presented) => {
      const sdHash = new Bun.CryptoHasher("sha256").update(presented).digest("base64url");
      const jwt = await new SignJWT({ iat: kb.iat ?? nowSeconds(), aud: kb.aud ?? request.client_id, nonce: kb.nonce ?? request.nonce, sd_hash: sdHash })
        .setProtectedHeader({ alg: "ES256", typ: "kb+jwt" })
        .sign(verifier.wallet.holderKeys.privateKey);
      return presented + jwt;
    }));
  }
  let body: URLSearchParams;
  if (request.response_mode === "direct_post") {
    body = new URLSearchParams({ vp_token: JSON.stringify(vpToken), ...(request.state ? { state: request.state } : {}) });
  } else {
    const jwk = request.client_metadata!.jwks!.keys.find((k) => k.alg === "ECDH-ES")!;
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ vp_token: vpToken, state: request.state })))
      .setProtectedHeader({ alg: "ECDH-ES", enc: "A128GCM", kid: jwk.kid as string })
      .encrypt(await importJWK(jwk as JWK, "ECDH-ES"));
    body = new URLSearchParams({ response: jwe });
  }
  const answer = await verifier.fetch(request.response_uri, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  const text = await answer.text();
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { request: fetched, body, status: answer.status, response };
}
