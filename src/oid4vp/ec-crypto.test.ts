import { describe, expect, test } from "bun:test";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { ecJwkThumbprint, ecPublicKeyFromJwk, verifyCompactJws, verifyEcdsa } from "./ec-crypto.ts";
import type { EcCurve, EcdsaHash } from "./ec-crypto.ts";

const CASES: [EcCurve, EcdsaHash][] = [["P-256", "SHA-256"], ["P-384", "SHA-384"], ["P-521", "SHA-512"]];

async function keyPair(curve: EcCurve) {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: curve }, true, ["sign", "verify"])) as CryptoKeyPair;
}

describe("verifyEcdsa", () => {
  for (const [curve, hash] of CASES) {
    test(`accepts a WebCrypto ${curve}/${hash} signature and refuses it over other data or under another key`, async () => {
      const keys = await keyPair(curve);
      const data = crypto.getRandomValues(new Uint8Array(300));
      const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash }, keys.privateKey, data));
      const jwk = await crypto.subtle.exportKey("jwk", keys.publicKey);
      const key = ecPublicKeyFromJwk(jwk, [curve]);
      expect(verifyEcdsa(hash, key, data, signature)).toBe(true);
      expect(verifyEcdsa(hash, keys.publicKey, data, signature)).toBe(true);
      expect(verifyEcdsa(hash, key, data.map((b, i) => (i === 0 ? b ^ 1 : b)), signature)).toBe(false);
      expect(verifyEcdsa(hash, ecPublicKeyFromJwk(await crypto.subtle.exportKey("jwk", (await keyPair(curve)).publicKey), [curve]), data, signature)).toBe(false);
    });
  }

  test("a signature sized for another curve is false, never an exception (ES256 r||s under a P-384 key)", async () => {
    const p256 = await keyPair("P-256");
    const p384 = ecPublicKeyFromJwk(await crypto.subtle.exportKey("jwk", (await keyPair("P-384")).publicKey), ["P-384"]);
    const data = new Uint8Array([1, 2, 3]);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, p256.privateKey, data));
    expect(verifyEcdsa("SHA-256", p384, data, signature)).toBe(false);
    expect(verifyEcdsa("SHA-256", ecPublicKeyFromJwk(await crypto.subtle.exportKey("jwk", p256.publicKey)), data, signature.subarray(1))).toBe(false);
  });
});

describe("ecPublicKeyFromJwk", () => {
  test("refuses a point off the curve, a curve not asked for, and never yields a private key from a JWK with d", async () => {
    const jwk = await crypto.subtle.exportKey("jwk", (await keyPair("P-256")).privateKey);
    expect(ecPublicKeyFromJwk(jwk).type).toBe("public");
    expect(() => ecPublicKeyFromJwk({ ...jwk, y: jwk.x })).toThrow();
    expect(() => ecPublicKeyFromJwk(jwk, ["P-384"])).toThrow(/P-384/);
    expect(() => ecPublicKeyFromJwk({ ...jwk, kty: "OKP" })).toThrow();
  });
});

describe("verifyCompactJws", () => {
  test("verifies jose's ES256 JWS and refuses a changed payload, a malformed signature and extra parts", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jws = await new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: "ES256" }).sign(privateKey);
    const key = ecPublicKeyFromJwk(await exportJWK(publicKey));
    expect(verifyCompactJws(jws, "SHA-256", key)).toBe(true);
    const [h, p, s] = jws.split(".") as [string, string, string];
    expect(verifyCompactJws(`${h}.${Buffer.from('{"sub":"mallory"}').toString("base64url")}.${s}`, "SHA-256", key)).toBe(false);
    expect(verifyCompactJws(`${h}.${p}.${s.slice(0, -2)}+/`, "SHA-256", key)).toBe(false);
    expect(verifyCompactJws(`${h}.${p}.${s}.x`, "SHA-256", key)).toBe(false);
    expect(verifyCompactJws(`${h}.${p}`, "SHA-256", key)).toBe(false);
  });
});

describe("ecJwkThumbprint", () => {
  test("is jose's RFC 7638 SHA-256 thumbprint for each curve, whatever other members the JWK carries", async () => {
    for (const alg of ["ES256", "ES384", "ES512"] as const) {
      const jwk = await exportJWK((await generateKeyPair(alg)).publicKey);
      expect(ecJwkThumbprint({ ...jwk, kid: "k", use: "enc" } as typeof jwk).toString("base64url")).toBe(await calculateJwkThumbprint(jwk));
    }
  });

  test("refuses a JWK that is not EC", () => {
    expect(() => ecJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: "AA" } as never)).toThrow();
  });
});
