import { beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { SignJWT, exportJWK } from "jose";
import type { JWK } from "jose";
import { createTestIssuer, signerFor } from "../../test/support/wallet/test-issuer.ts";
import type { TestIssuer } from "../../test/support/wallet/test-issuer.ts";
import { createTrustStore } from "./trust-store.ts";
import type { TrustStore } from "./trust-store.ts";
import { verifySdJwtVc } from "./verify-sd-jwt-vc.ts";

const NONCE = "n-0123456789abcdef";
const CLIENT_ID = "x509_hash:verifier-test";
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const nested = (depth: number): unknown => JSON.parse("[".repeat(depth) + "]".repeat(depth));
const deepText = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

let issuer: TestIssuer;
let trust: TrustStore;
let holderKeys: CryptoKeyPair;
let holderJwk: JWK;

beforeAll(async () => {
  issuer = await createTestIssuer();
  trust = await createTrustStore([issuer.ca.pem]);
  holderKeys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x, y } = await exportJWK(holderKeys.publicKey);
  holderJwk = { kty, crv, x, y };
});

/** RFC 9901 §4.3: the KB-JWT signs sd_hash over `<issuer-jwt>~<disclosures>~` as presented. */
async function withKeyBinding(presented: string, extra: Record<string, unknown> = {}): Promise<string> {
  const sdHash = createHash("sha256").update(presented).digest("base64url");
  const kb = await new SignJWT({ nonce: NONCE, aud: CLIENT_ID, iat: Math.floor(Date.now() / 1000), sd_hash: sdHash, ...extra })
    .setProtectedHeader({ alg: "ES256", typ: "kb+jwt" })
    .sign(holderKeys.privateKey);
  return presented + kb;
}

async function checkOf(presentation: string): Promise<string> {
  try {
    await verifySdJwtVc(presentation, { nonce: NONCE, clientId: CLIENT_ID, vctValues: ["urn:eudi:pid:1"], trust, now: Math.floor(Date.now() / 1000) });
    return "accepted";
  } catch (error) {
    return (error as { check?: string }).check ?? `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe("JSON nesting depth", () => {
  test("a disclosed claim nested to depth 32 verifies; one level more is refused as credential_too_deep", async () => {
    // The disclosure ["salt","deep",X] adds one level to X.
    const fits = await issuer.issuePid({ holderJwk, claims: { deep: nested(31) } });
    expect(await checkOf(await withKeyBinding(fits))).toBe("accepted");
    const tooDeep = await issuer.issuePid({ holderJwk, claims: { deep: nested(32) } });
    expect(await checkOf(await withKeyBinding(tooDeep))).toBe("credential_too_deep");
  });

  test("a 53 KB deep issuer payload, signed by the trusted issuer, is refused quickly with credential_too_deep, never a RangeError", async () => {
    const header = b64({ alg: "ES256", typ: "dc+sd-jwt", x5c: issuer.leaf.x5c });
    const payload = b64(`{"vct":"urn:eudi:pid:1","cnf":{"jwk":${JSON.stringify(holderJwk)}},"deep":${deepText(26_500)}}`);
    const signature = await signerFor(issuer.leaf.keys.privateKey)(`${header}.${payload}`);
    const presentation = await withKeyBinding(`${header}.${payload}.${signature}~`);
    expect(presentation.length).toBeGreaterThan(53_000);
    const started = performance.now();
    expect(await checkOf(presentation)).toBe("credential_too_deep");
    expect(performance.now() - started).toBeLessThan(500);
  });

  test("deep JSON in the issuer header, a disclosure or the Key Binding JWT is refused too", async () => {
    const pid = await issuer.issuePid({ holderJwk });
    const [jwt, ...disclosures] = pid.split("~");
    const [, payload, signature] = jwt!.split(".");
    const deepHeader = `${b64(`{"alg":"ES256","typ":"dc+sd-jwt","x":${deepText(40)}}`)}.${payload}.${signature}~${disclosures.join("~")}`;
    expect(await checkOf(await withKeyBinding(deepHeader))).toBe("credential_too_deep");
    const deepDisclosure = `${pid}${b64(`["salt","extra",${deepText(40)}]`)}~`;
    expect(await checkOf(await withKeyBinding(deepDisclosure))).toBe("credential_too_deep");
    expect(await checkOf(await withKeyBinding(pid, { deep: nested(40) }))).toBe("credential_too_deep");
    expect(await checkOf(await withKeyBinding(pid))).toBe("accepted");
  });
});
