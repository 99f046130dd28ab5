import { describe, expect, test } from "bun:test";
import { cborEncode } from "@owf/mdoc";
import { parseCoseSign1, verifyCoseSign1 } from "./cose-sign1.ts";

// RFC 9052 §4.4: Sig_structure = ["Signature1", protected, external_aad, payload], signed here independently of the code under test.
async function sign(curve: "P-256" | "P-384" | "P-521", alg: number, hash: string, payload: Uint8Array) {
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: curve }, false, ["sign", "verify"])) as CryptoKeyPair;
  const protectedBytes = cborEncode(new Map([[1, alg]]));
  const signature = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash }, keys.privateKey, new Uint8Array(cborEncode(["Signature1", protectedBytes, new Uint8Array(0), payload]))));
  return { keys, sign1: [protectedBytes, new Map(), payload, signature] };
}

describe("COSE_Sign1", () => {
  const payload = new Uint8Array([1, 2, 3]);
  test("verifies ES256, ES384 and ES512, and not under another key or over another payload", async () => {
    for (const [curve, alg, hash] of [["P-256", -7, "SHA-256"], ["P-384", -35, "SHA-384"], ["P-521", -36, "SHA-512"]] as const) {
      const { keys, sign1 } = await sign(curve, alg, hash, payload);
      const parsed = parseCoseSign1(sign1, "mdoc_format", "test");
      expect(await verifyCoseSign1(parsed, keys.publicKey)).toBe(true);
      const other = await sign(curve, alg, hash, payload);
      expect(await verifyCoseSign1(parsed, other.keys.publicKey)).toBe(false);
      expect(await verifyCoseSign1({ ...parsed, payload: new Uint8Array([9]) }, keys.publicKey)).toBe(false);
    }
  });

  test("a detached payload is verified over the bytes the verifier supplies", async () => {
    const { keys, sign1 } = await sign("P-256", -7, "SHA-256", payload);
    const parsed = parseCoseSign1([sign1[0], sign1[1], null, sign1[3]], "mdoc_format", "test");
    expect(await verifyCoseSign1(parsed, keys.publicKey, payload)).toBe(true);
    expect(await verifyCoseSign1(parsed, keys.publicKey, new Uint8Array([4]))).toBe(false);
    expect(await verifyCoseSign1(parsed, keys.publicKey)).toBe(false);
  });

  test("refuses an alg outside ES256/384/512 or only in the unprotected header, and malformed structures", async () => {
    const { sign1 } = await sign("P-256", -7, "SHA-256", payload);
    expect(() => parseCoseSign1([cborEncode(new Map([[1, -8]])), new Map(), payload, sign1[3]], "mdoc_format", "t")).toThrow(expect.objectContaining({ check: "mdoc_alg" }));
    expect(() => parseCoseSign1([new Uint8Array(0), new Map([[1, -7]]), payload, sign1[3]], "mdoc_format", "t")).toThrow(expect.objectContaining({ check: "mdoc_alg" }));
    expect(() => parseCoseSign1([sign1[0], new Map(), payload], "mdoc_format", "t")).toThrow(expect.objectContaining({ check: "mdoc_format" }));
    expect(() => parseCoseSign1("x", "mdoc_format", "t")).toThrow(expect.objectContaining({ check: "mdoc_format" }));
  });
});
