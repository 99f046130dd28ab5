import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { computeClientId, x509HashOf } from "./client-id.ts";
import { createDevelopmentVerifierIdentity, exportVerifierIdentity, haipIdentityProblems, loadVerifierIdentity, verifierDnsNames } from "./verifier-identity.ts";

describe("verifier identity", () => {
  test("a development identity is a P-256 key with a self-signed certificate naming the host", async () => {
    const identity = await createDevelopmentVerifierIdentity("acme.example");
    expect(verifierDnsNames(identity)).toEqual(["acme.example"]);
    expect(identity.x5c).toHaveLength(1);
    expect((identity.privateKey.algorithm as EcKeyAlgorithm).namedCurve).toBe("P-256");
  });

  test("x509_hash is base64url SHA-256 of the leaf DER; x509_san_dns needs the host in the SAN", async () => {
    const identity = await createDevelopmentVerifierIdentity("acme.example");
    const der = Buffer.from(identity.x5c[0]!, "base64");
    const expected = createHash("sha256").update(der).digest("base64url");
    expect(computeClientId(identity, "x509_hash")).toBe(`x509_hash:${expected}`);
    expect(x509HashOf(der)).not.toContain("=");
    expect(computeClientId(identity, "x509_san_dns", "ACME.example")).toBe("x509_san_dns:acme.example");
    expect(() => computeClientId(identity, "x509_san_dns", "other.example")).toThrow(/SAN/);
  });

  test("loads an operator's chain and key, and refuses a key that does not match the leaf", async () => {
    const identity = await createDevelopmentVerifierIdentity("acme.example");
    const exported = await exportVerifierIdentity(identity);
    const loaded = await loadVerifierIdentity(exported.certificateChainPem, exported.privateKeyPem);
    expect(loaded.x5c).toEqual(identity.x5c);
    const stranger = await exportVerifierIdentity(await createDevelopmentVerifierIdentity("acme.example"));
    await expect(loadVerifierIdentity(exported.certificateChainPem, stranger.privateKeyPem)).rejects.toThrow(/does not match/);
  });
});

test("haipIdentityProblems flags a self-signed development leaf and accepts a CA-issued leaf without its root", async () => {
  const { createTestCa, issueLeaf } = await import("../../test/support/wallet/test-pki.ts");
  const development = await createDevelopmentVerifierIdentity("acme.example");
  expect(await haipIdentityProblems(development)).toEqual(["the leaf certificate is self-signed"]);
  const ca = await createTestCa("CN=Registrar CA");
  const leaf = await issueLeaf(ca, { dnsNames: ["acme.example"] });
  const { exportPKCS8 } = await import("jose");
  const issued = await loadVerifierIdentity(leaf.certificate.toString("pem"), await exportPKCS8(leaf.keys.privateKey));
  expect(await haipIdentityProblems(issued)).toEqual([]);
  const withRoot = await loadVerifierIdentity(`${leaf.certificate.toString("pem")}\n${ca.pem}`, await exportPKCS8(leaf.keys.privateKey));
  expect((await haipIdentityProblems(withRoot))[0]).toContain("trust anchor");
});
