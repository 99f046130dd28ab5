import { describe, expect, test } from "bun:test";
import { makeCertificate } from "./test-certificates.ts";
import type { TestCertificate } from "./test-certificates.ts";
import { createTrustStore, verifyCertificateChain } from "./trust-store.ts";
import { x509 } from "./x509.ts";

const DAY = 86_400_000;
const silent = () => {};

async function judge(anchors: TestCertificate[], chain: TestCertificate[]): Promise<string> {
  const store = await createTrustStore(anchors.map((anchor) => anchor.pem), silent);
  try {
    await verifyCertificateChain(chain.map((certificate) => certificate.x5c), store, new Date());
    return "accepted";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("pathLenConstraint (RFC 5280 §4.2.1.9, §6.1.4 (l)(m))", () => {
  test("a root with pathLen 0 signs leaves directly but not through an intermediate CA", async () => {
    const root = await makeCertificate({ ca: true, pathLen: 0 });
    const intermediate = await makeCertificate({ ca: true, issuer: root });
    expect(await judge([root], [await makeCertificate({ issuer: root })])).toBe("accepted");
    expect(await judge([root], [await makeCertificate({ issuer: intermediate }), intermediate])).toMatch(/trust anchor has pathLenConstraint 0 but 1 intermediate/);
  });

  test("an intermediate's own pathLen 0 refuses a further intermediate below it", async () => {
    const root = await makeCertificate({ ca: true });
    const upper = await makeCertificate({ ca: true, pathLen: 0, issuer: root });
    const lower = await makeCertificate({ ca: true, issuer: upper });
    const leaf = await makeCertificate({ issuer: lower });
    expect(await judge([root], [leaf, lower, upper])).toMatch(/certificate 2 in x5c has pathLenConstraint 0 but 1 intermediate/);
    const relaxed = await makeCertificate({ ca: true, pathLen: 1, issuer: root });
    const lower2 = await makeCertificate({ ca: true, issuer: relaxed });
    expect(await judge([root], [await makeCertificate({ issuer: lower2 }), lower2, relaxed])).toBe("accepted");
  });

  test("a self-issued intermediate (key rollover) does not count towards the limit", async () => {
    const root = await makeCertificate({ ca: true, pathLen: 0 });
    const rolled = await makeCertificate({ ca: true, name: root.name, issuer: root });
    expect(await judge([root], [await makeCertificate({ issuer: rolled }), rolled])).toBe("accepted");
  });
});

describe("keyUsage and basicConstraints", () => {
  test("an intermediate CA whose keyUsage lacks keyCertSign is refused as an issuer", async () => {
    const root = await makeCertificate({ ca: true });
    const intermediate = await makeCertificate({ ca: true, issuer: root, usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.cRLSign });
    expect(await judge([root], [await makeCertificate({ issuer: intermediate }), intermediate])).toMatch(/certificate 1 .* keyUsage lacks keyCertSign/);
  });

  test("an intermediate CA without keyUsage may issue (keyUsage is optional)", async () => {
    const root = await makeCertificate({ ca: true });
    const intermediate = await makeCertificate({ ca: true, issuer: root, usages: null });
    expect(await judge([root], [await makeCertificate({ issuer: intermediate }), intermediate])).toBe("accepted");
  });

  test("a leaf whose keyUsage lacks digitalSignature is refused; one without keyUsage is accepted", async () => {
    const root = await makeCertificate({ ca: true });
    expect(await judge([root], [await makeCertificate({ issuer: root, usages: x509.KeyUsageFlags.keyEncipherment })])).toMatch(/certificate 0 .* lacks digitalSignature/);
    expect(await judge([root], [await makeCertificate({ issuer: root, usages: null })])).toBe("accepted");
  });

  test("a CA certificate is refused as the leaf, whether issued by the anchor or the anchor itself", async () => {
    const root = await makeCertificate({ ca: true });
    const subCa = await makeCertificate({ ca: true, issuer: root, usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature });
    expect(await judge([root], [subCa])).toMatch(/certificate 0 .* is a CA/);
    expect(await judge([root], [root])).toMatch(/certificate 0 .* is a CA/);
  });
});

describe("end-entity anchors", () => {
  test("are trusted as the exact leaf, never as the signer of another certificate", async () => {
    const pinned = await makeCertificate();
    const signedByPinned = await makeCertificate({ issuer: pinned });
    expect(await judge([pinned], [pinned])).toBe("accepted");
    expect(await judge([pinned], [signedByPinned])).toMatch(/end-entity trust anchor/);
    expect(await judge([pinned], [signedByPinned, pinned])).toMatch(/end-entity trust anchor/);
  });

  test("a pinned leaf must itself be valid now", async () => {
    const pinned = await makeCertificate({ notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(await judge([pinned], [pinned])).toMatch(/validity/);
  });
});

describe("issuer key types and signature algorithms", () => {
  test("RSA root → P-256 intermediate → P-256 leaf is accepted", async () => {
    const root = await makeCertificate({ ca: true, kind: "RSA" });
    const intermediate = await makeCertificate({ ca: true, issuer: root });
    expect(await judge([root], [await makeCertificate({ issuer: intermediate }), intermediate])).toBe("accepted");
  });

  test("P-384 and P-521 issuers are accepted; a P-384 leaf is not (the JWS is ES256)", async () => {
    const p384 = await makeCertificate({ ca: true, kind: "P-384" });
    const p521 = await makeCertificate({ ca: true, kind: "P-521", issuer: p384 });
    expect(await judge([p384], [await makeCertificate({ issuer: p521, hash: "SHA-384" }), p521])).toBe("accepted");
    expect(await judge([p384], [await makeCertificate({ issuer: p384, kind: "P-384" })])).toMatch(/only P-256 leaf/);
  });

  test("a SHA-1 signature anywhere on the path is refused", async () => {
    const root = await makeCertificate({ ca: true });
    expect(await judge([root], [await makeCertificate({ issuer: root, hash: "SHA-1" })])).toMatch(/weak .* SHA-1/);
    const intermediate = await makeCertificate({ ca: true, issuer: root, hash: "SHA-1" });
    expect(await judge([root], [await makeCertificate({ issuer: intermediate }), intermediate])).toMatch(/certificate 1 .* SHA-1/);
  });

  test("an intermediate outside its validity period is refused", async () => {
    const root = await makeCertificate({ ca: true });
    const expired = await makeCertificate({ ca: true, issuer: root, notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(await judge([root], [await makeCertificate({ issuer: expired }), expired])).toMatch(/certificate 1 in x5c is outside its validity/);
  });

  test("an x5c longer than ten certificates is refused before any signature is checked", async () => {
    const root = await makeCertificate({ ca: true });
    const leaf = await makeCertificate({ issuer: root });
    expect(await judge([root], Array<TestCertificate>(11).fill(leaf))).toMatch(/more than 10/);
  });
});
