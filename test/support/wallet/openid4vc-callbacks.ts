// Wallet-side callbacks for @openid4vc/openid4vp, an implementation independent of Sigil's, so
// tests can check that it resolves Sigil's request objects and that Sigil accepts its responses.
import type { Openid4vpClient } from "@openid4vc/openid4vp";
import { CompactEncrypt, compactVerify, exportJWK, importJWK, importX509 } from "jose";
import type { JWK } from "jose";
import { sanDnsNames, x509 } from "../../../src/oid4vp/x509.ts";
import type { FetchLike } from "./fetch-request-object.ts";

export type Callbacks = ConstructorParameters<typeof Openid4vpClient>[0]["callbacks"];

/** The callbacks @openid4vc/openid4vp's wallet side needs, with jose for the crypto and `fetchFn` for the network. */
export function openid4vcCallbacks(fetchFn: FetchLike): Callbacks {
  return {
    fetch: ((input: string | URL | Request, init?: RequestInit) => fetchFn(String(input instanceof Request ? input.url : input), init)) as Callbacks["fetch"],
    hash: (data) => new Uint8Array(new Bun.CryptoHasher("sha256").update(data).digest()),
    getX509CertificateMetadata: (certificate) => ({ sanDnsNames: sanDnsNames(new x509.X509Certificate(Buffer.from(certificate, "base64"))), sanUriNames: [] }),
    verifyJwt: async (signer, jwt) => {
      if (signer.method !== "x5c") return { verified: false };
      const key = await importX509(`-----BEGIN CERTIFICATE-----\n${signer.x5c[0]}\n-----END CERTIFICATE-----`, "ES256", { extractable: true });
      try {
        await compactVerify(jwt.compact, key);
        return { verified: true, signerJwk: (await exportJWK(key)) as Parameters<Callbacks["encryptJwe"]>[0]["publicJwk"] };
      } catch {
        return { verified: false };
      }
    },
    encryptJwe: async (encryptor, data) => {
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader({ alg: encryptor.alg, enc: encryptor.enc, kid: encryptor.publicJwk.kid })
        .encrypt(await importJWK(encryptor.publicJwk as JWK, encryptor.alg));
      return { jwe, encryptionJwk: encryptor.publicJwk };
    },
    signJwt: async () => {
      throw new Error("not used");
    },
    decryptJwe: async () => ({ decrypted: false }),
  };
}

