import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { checkKbJwtClaims, verifyKbSignature } from "./check-kb-jwt-claims.ts";

const presented = "eyJhbGciOiJFUzI1NiJ9.e30.sig~WyJzIiwiZ2l2ZW5fbmFtZSIsIkVyaWthIl0~";
const sdHash = createHash("sha256").update(presented).digest("base64url");
const now = 1_800_000_000;
const expected = { nonce: "n0nce-value-0123456789", clientId: "x509_hash:abc", now };
const header = { typ: "kb+jwt", alg: "ES256" };
const payload = { nonce: expected.nonce, aud: expected.clientId, iat: now, sd_hash: sdHash };

function checkOf(work: () => void): string {
  try {
    work();
    return "accepted";
  } catch (error) {
    return (error as { check?: string }).check ?? String(error);
  }
}

describe("checkKbJwtClaims", () => {
  test("accepts matching nonce, full client_id, fresh iat and sd_hash over the presentation with its final tilde", () => {
    expect(checkOf(() => checkKbJwtClaims(header, payload, presented, expected))).toBe("accepted");
  });

  test("rejects each claim that is off", () => {
    expect(checkOf(() => checkKbJwtClaims({ ...header, typ: "JWT" }, payload, presented, expected))).toBe("kb_typ");
    expect(checkOf(() => checkKbJwtClaims({ ...header, alg: "none" }, payload, presented, expected))).toBe("kb_alg");
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, nonce: "other" }, presented, expected))).toBe("kb_nonce");
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, aud: "abc" }, presented, expected))).toBe("kb_aud");
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, aud: [expected.clientId] }, presented, expected))).toBe("kb_aud");
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, iat: now - 301 }, presented, expected))).toBe("kb_iat");
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, iat: now + 61 }, presented, expected))).toBe("kb_iat");
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, iat: undefined }, presented, expected))).toBe("kb_iat");
    expect(checkOf(() => checkKbJwtClaims(header, payload, presented.slice(0, -1), expected))).toBe("kb_sd_hash");
  });

  test("the iat window is configurable", () => {
    expect(checkOf(() => checkKbJwtClaims(header, { ...payload, iat: now - 500 }, presented, { ...expected, maxAgeSeconds: 600 }))).toBe("accepted");
  });
});

describe("verifyKbSignature", () => {
  test("verifies under a cnf.jwk holding only kty/crv/x/y and rejects another key", async () => {
    const holder = await generateKeyPair("ES256");
    const { kty, crv, x, y } = await exportJWK(holder.publicKey);
    const jwt = await new SignJWT(payload).setProtectedHeader(header).sign(holder.privateKey);
    const [h, p, s] = jwt.split(".");
    expect(await verifyKbSignature(`${h}.${p}`, s!, { jwk: { kty, crv, x, y } })).toBe(true);
    const other = await exportJWK((await generateKeyPair("ES256")).publicKey);
    await expect(verifyKbSignature(`${h}.${p}`, s!, { jwk: other })).rejects.toMatchObject({ check: "kb_signature" });
    await expect(verifyKbSignature(`${h}.${p}`, s!, undefined)).rejects.toMatchObject({ check: "kb_cnf" });
  });
});
