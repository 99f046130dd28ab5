// decryptEcdhEs against jose, the library it stands in for: what jose's CompactEncrypt makes, it opens;
// what jose's compactDecrypt refuses (tampering, another key, a bad epk), it refuses too.
import { describe, expect, test } from "bun:test";
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair } from "jose";
import type { JWK } from "jose";
import { JweError, decryptEcdhEs } from "./decrypt-ecdh-es.ts";

const ENCS = ["A128GCM", "A256GCM"] as const;
const text = new TextEncoder().encode(JSON.stringify({ vp_token: { pid: ["x"] }, state: "s" }));

async function recipient() {
  const { publicKey, privateKey } = await generateKeyPair("ECDH-ES", { crv: "P-256", extractable: true });
  return { publicKey, privateKey, privateJwk: await exportJWK(privateKey) };
}

async function encryptTo(publicKey: CryptoKey, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactEncrypt(text).setProtectedHeader({ alg: "ECDH-ES", enc: "A128GCM", kid: "k1", ...header }).encrypt(publicKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const headerOf = (jwe: string) => JSON.parse(Buffer.from(jwe.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
const withHeader = (jwe: string, header: Record<string, unknown>) => [b64(header), ...jwe.split(".").slice(1)].join(".");
const flip = (part: string) => Buffer.from(Buffer.from(part, "base64url").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64url");
const withPart = (jwe: string, index: number, change: (part: string) => string) => jwe.split(".").map((p, i) => (i === index ? change(p) : p)).join(".");

async function joseRefuses(jwe: string, privateKey: CryptoKey): Promise<boolean> {
  return compactDecrypt(jwe, privateKey, { keyManagementAlgorithms: ["ECDH-ES"], contentEncryptionAlgorithms: [...ENCS] }).then(() => false, () => true);
}

describe("decryptEcdhEs", () => {
  test("opens jose's ECDH-ES JWE with A128GCM and A256GCM, with and without apu/apv", async () => {
    const { publicKey, privateJwk } = await recipient();
    for (const enc of ENCS) {
      const parties: { apu?: Uint8Array; apv?: Uint8Array }[] = [{}, { apu: new TextEncoder().encode("wallet"), apv: new TextEncoder().encode("nonce") }];
      for (const party of parties) {
        const jwe = await new CompactEncrypt(text).setProtectedHeader({ alg: "ECDH-ES", enc, kid: "k1" }).setKeyManagementParameters(party).encrypt(publicKey);
        const { plaintext, header } = decryptEcdhEs(jwe, privateJwk, ENCS);
        expect(new TextDecoder().decode(plaintext)).toBe(new TextDecoder().decode(text));
        expect(header.enc).toBe(enc);
      }
    }
  });

  test("refuses, as jose does, tampered ciphertext, tag, IV, protected header, another key and a foreign epk", async () => {
    const { publicKey, privateKey, privateJwk } = await recipient();
    const other = await recipient();
    const jwe = await encryptTo(publicKey);
    const stranger = await exportJWK((await generateKeyPair("ECDH-ES", { crv: "P-256", extractable: true })).publicKey);
    const p384 = await exportJWK((await generateKeyPair("ECDH-ES", { crv: "P-384", extractable: true })).publicKey);
    const epk = headerOf(jwe).epk as JWK;
    const cases: [string, string, JWK][] = [
      ["ciphertext", withPart(jwe, 3, flip), privateJwk],
      ["tag", withPart(jwe, 4, flip), privateJwk],
      ["iv", withPart(jwe, 2, flip), privateJwk],
      ["header kid", withHeader(jwe, { ...headerOf(jwe), kid: "k2" }), privateJwk],
      ["another recipient's key", jwe, other.privateJwk],
      ["a stranger's epk", withHeader(jwe, { ...headerOf(jwe), epk: stranger }), privateJwk],
      ["an epk off the curve", withHeader(jwe, { ...headerOf(jwe), epk: { ...epk, y: epk.x } }), privateJwk],
      ["an epk on another curve", withHeader(jwe, { ...headerOf(jwe), epk: p384 }), privateJwk],
      ["an encrypted key", withPart(jwe, 1, () => "AAAA"), privateJwk],
      ["a short IV", withPart(jwe, 2, (p) => p.slice(0, 8)), privateJwk],
    ];
    for (const [name, tampered, key] of cases) {
      const josesKey = key === privateJwk ? privateKey : other.privateKey;
      expect({ name, jose: await joseRefuses(tampered, josesKey) }).toEqual({ name, jose: true });
      expect({ name, ours: (() => { try { decryptEcdhEs(tampered, key, ENCS); return "opened"; } catch (e) { return e instanceof JweError ? "refused" : String(e); } })() }).toEqual({ name, ours: "refused" });
    }
  });

  test("refuses another alg or an enc not accepted with reason alg, and crit and zip outright", async () => {
    const { publicKey, privateJwk } = await recipient();
    const jwe = await encryptTo(publicKey);
    const reason = (token: string, encs: readonly ("A128GCM" | "A256GCM")[] = ENCS) => {
      try {
        decryptEcdhEs(token, privateJwk, encs);
        return "opened";
      } catch (error) {
        return (error as JweError).reason;
      }
    };
    expect(reason(jwe)).toBe("opened");
    expect(reason(jwe, ["A256GCM"])).toBe("alg");
    expect(reason(withHeader(jwe, { ...headerOf(jwe), alg: "ECDH-ES+A128KW" }))).toBe("alg");
    expect(reason(withHeader(jwe, { ...headerOf(jwe), crit: ["x"], x: 1 }))).toBe("alg");
    expect(reason(withHeader(jwe, { ...headerOf(jwe), zip: "DEF" }))).toBe("alg");
    expect(reason("a.b.c")).toBe("format");
    expect(reason(withPart(jwe, 0, () => "bm90IGpzb24"))).toBe("format");
  });
});
