import { describe, expect, test } from "bun:test";
import { createTestCa, generateP256, issueLeaf } from "../../test/support/wallet/test-pki.ts";
import type { TestCa } from "../../test/support/wallet/test-pki.ts";
import { createTrustStore, verifyCertificateChain } from "./trust-store.ts";
import { makeCertificate } from "./test-certificates.ts";
import { P256_SIGNING, certificateToX5c, x509 } from "./x509.ts";

const DAY = 86_400_000;

async function intermediateUnder(root: TestCa, ca = true): Promise<TestCa> {
  const keys = await generateP256();
  const name = "CN=Sigil Test Intermediate";
  const certificate = await x509.X509CertificateGenerator.create({
    subject: name,
    issuer: root.certificate.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 100 * DAY),
    signingAlgorithm: P256_SIGNING,
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    extensions: [new x509.BasicConstraintsExtension(ca, undefined, true)],
  });
  return { name, keys, certificate, pem: certificate.toString("pem") };
}

describe("verifyCertificateChain", () => {
  test("accepts a leaf signed by a trust anchor and returns the leaf key", async () => {
    const root = await createTestCa();
    const leaf = await issueLeaf(root);
    const store = await createTrustStore([root.pem]);
    const key = await verifyCertificateChain(leaf.x5c, store, new Date());
    expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(store.cache.size).toBe(1);
  });

  test("accepts leaf → intermediate → anchor, with or without the anchor in x5c", async () => {
    const root = await createTestCa();
    const intermediate = await intermediateUnder(root);
    const leaf = await issueLeaf(intermediate);
    const store = await createTrustStore([root.pem]);
    const chain = [leaf.x5c[0]!, certificateToX5c(intermediate.certificate)];
    await verifyCertificateChain(chain, store, new Date());
    await verifyCertificateChain([...chain, certificateToX5c(root.certificate)], store, new Date());
  });

  test("rejects a chain whose self-signed root arrives in x5c but is not an anchor, even with the anchor's name", async () => {
    const trusted = await createTestCa();
    const impostor = await createTestCa(trusted.name);
    const leaf = await issueLeaf(impostor);
    const store = await createTrustStore([trusted.pem]);
    await expect(verifyCertificateChain([leaf.x5c[0]!, certificateToX5c(impostor.certificate)], store, new Date())).rejects.toThrow(/trust anchor|not signed/);
    await expect(verifyCertificateChain(leaf.x5c, store, new Date())).rejects.toThrow(/trust anchor/);
  });

  test("rejects a self-signed leaf that is not an anchor", async () => {
    const selfSigned = await createTestCa("CN=Self");
    const store = await createTrustStore([(await createTestCa()).pem]);
    await expect(verifyCertificateChain([certificateToX5c(selfSigned.certificate)], store, new Date())).rejects.toThrow(/trust anchor/);
  });

  test("rejects an expired leaf and a not-yet-valid one", async () => {
    const root = await createTestCa();
    const store = await createTrustStore([root.pem]);
    const expired = await issueLeaf(root, { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
    const future = await issueLeaf(root, { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 10 * DAY) });
    await expect(verifyCertificateChain(expired.x5c, store, new Date())).rejects.toThrow(/validity/);
    await expect(verifyCertificateChain(future.x5c, store, new Date())).rejects.toThrow(/validity/);
  });

  test("a cached chain is refused once its leaf has expired, and before it is valid", async () => {
    const root = await createTestCa();
    const store = await createTrustStore([root.pem]);
    const leaf = await issueLeaf(root, { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY) });
    await verifyCertificateChain(leaf.x5c, store, new Date());
    expect(store.cache.size).toBe(1);
    await expect(verifyCertificateChain(leaf.x5c, store, new Date(Date.now() + 2 * DAY))).rejects.toThrow(/validity/);
    await expect(verifyCertificateChain(leaf.x5c, store, new Date(Date.now() - 2 * DAY))).rejects.toThrow(/validity/);
    // And still accepted inside its window.
    await verifyCertificateChain(leaf.x5c, store, new Date());
  });

  test("the accepted curves are part of the cache key: a P-256 leaf cached for a P-256/P-384 caller is refused to a P-384-only one", async () => {
    const root = await createTestCa();
    const store = await createTrustStore([root.pem]);
    const leaf = await issueLeaf(root);
    await verifyCertificateChain(leaf.x5c, store, new Date(), ["P-256", "P-384"]);
    await verifyCertificateChain(leaf.x5c, store, new Date(), ["P-256"]);
    await expect(verifyCertificateChain(leaf.x5c, store, new Date(), ["P-384"])).rejects.toThrow(/P-384 leaf/);
  });

  test("rejects an intermediate that is not a CA", async () => {
    const root = await createTestCa();
    const notCa = await intermediateUnder(root, false);
    const leaf = await issueLeaf(notCa);
    const store = await createTrustStore([root.pem]);
    await expect(verifyCertificateChain([leaf.x5c[0]!, certificateToX5c(notCa.certificate)], store, new Date())).rejects.toThrow(/not a CA/);
  });

  test("rejects a malformed or missing x5c", async () => {
    const store = await createTrustStore([(await createTestCa()).pem]);
    await expect(verifyCertificateChain(undefined, store, new Date())).rejects.toThrow(/missing/);
    await expect(verifyCertificateChain(["not base64!"], store, new Date())).rejects.toThrow(/unparsable/);
  });
});

describe("createTrustStore", () => {
  test("an RSA anchor sits beside P-256 anchors without breaking them, and anchors its own chains", async () => {
    const rsa = await makeCertificate({ ca: true, kind: "RSA" });
    const p256 = await createTestCa();
    const lines: string[] = [];
    const store = await createTrustStore([rsa.pem, p256.pem], (line) => lines.push(line));
    expect(lines).toEqual([]);
    expect(store.anchors.map((anchor) => anchor.role)).toEqual(["ca", "ca"]);
    await verifyCertificateChain((await issueLeaf(p256)).x5c, store, new Date());
    await verifyCertificateChain([(await makeCertificate({ issuer: rsa })).x5c], store, new Date());
  });

  test("skips each unusable anchor with one logged line and keeps the usable ones", async () => {
    const good = await createTestCa();
    const weakRsa = await makeCertificate({ ca: true, kind: "RSA-1024", name: "CN=Weak RSA" });
    const edwards = await makeCertificate({ ca: true, kind: "Ed25519", name: "CN=Edwards" });
    const noCertSign = await makeCertificate({ ca: true, usages: x509.KeyUsageFlags.digitalSignature, name: "CN=No CertSign" });
    const garbage = "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----";
    const lines: string[] = [];
    const store = await createTrustStore([weakRsa.pem, edwards.pem, garbage, good.pem, noCertSign.pem], (line) => lines.push(line));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^trust anchor CN=Weak RSA skipped: .*1024 bits/);
    expect(lines[1]).toMatch(/^trust anchor CN=Edwards skipped: .*not supported/);
    expect(lines[2]).toMatch(/^trust anchor #3 skipped/);
    expect(lines[3]).toMatch(/^trust anchor CN=No CertSign skipped: .*keyCertSign/);
    expect(store.anchors.map((anchor) => anchor.certificate.subject)).toEqual([good.name]);
    await verifyCertificateChain((await issueLeaf(good)).x5c, store, new Date());
  });

  test("an end-entity certificate becomes a pinned-leaf anchor", async () => {
    const store = await createTrustStore([(await makeCertificate()).pem], () => {});
    expect(store.anchors.map((anchor) => anchor.role)).toEqual(["leaf"]);
  });
});
