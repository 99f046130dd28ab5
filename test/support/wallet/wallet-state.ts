/**
 * Keeps the test wallet's issuer CA, issuer certificate and holder key in a
 * directory between runs, so a person trusts the CA once
 * (`sigil trust add HOST --cert DIR/issuer-ca.pem`) and presents many times.
 * Test-only material: never use these keys for anything real.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exportJWK, exportPKCS8, importJWK, importPKCS8 } from "jose";
import type { JWK } from "jose";
import { certificateToX5c, x509 } from "../../../src/oid4vp/x509.ts";
import { createTestIssuer } from "./test-issuer.ts";
import type { TestIssuer } from "./test-issuer.ts";
import { createTestCa, issueLeaf } from "./test-pki.ts";
import type { TestCa, TestLeaf } from "./test-pki.ts";
import type { TestWallet } from "./wallet.ts";

interface StoredState {
  caName: string;
  caPem: string;
  caKey: string;
  leafPem: string;
  leafKey: string;
  holderPrivateJwk: JWK;
}

const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;

/** Loads the wallet from `dir`, creating fresh material on first use. */
export async function loadOrCreateWallet(dir: string): Promise<TestWallet> {
  const path = join(dir, "wallet.json");
  if (!(await Bun.file(path).exists())) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ca = await createTestCa();
    const leaf = await issueLeaf(ca);
    const holder = (await crypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair;
    const state: StoredState = {
      caName: ca.name,
      caPem: ca.pem,
      caKey: await exportPKCS8(ca.keys.privateKey),
      leafPem: leaf.certificate.toString("pem"),
      leafKey: await exportPKCS8(leaf.keys.privateKey),
      holderPrivateJwk: await exportJWK(holder.privateKey),
    };
    await writeFile(path, JSON.stringify(state, null, 2), { mode: 0o600 });
    await Bun.write(join(dir, "issuer-ca.pem"), ca.pem);
  }
  // A fresh handle: Bun.file caches the size it saw before the write above.
  const state = (await Bun.file(path).json()) as StoredState;
  const issuer = await restoreIssuer(state);
  const privateKey = (await importJWK(state.holderPrivateJwk, "ES256", { extractable: true })) as CryptoKey;
  const { kty, crv, x, y } = state.holderPrivateJwk;
  const publicKey = (await importJWK({ kty, crv, x, y }, "ES256", { extractable: true })) as CryptoKey;
  return { holderKeys: { privateKey, publicKey }, holderJwk: { kty, crv, x, y }, issuer };
}

async function restoreIssuer(state: StoredState): Promise<TestIssuer> {
  const caCertificate = new x509.X509Certificate(state.caPem);
  const caPrivate = await importPKCS8(state.caKey, "ES256", { extractable: true });
  const ca: TestCa = { name: state.caName, keys: { privateKey: caPrivate, publicKey: await caCertificate.publicKey.export() }, certificate: caCertificate, pem: state.caPem };
  const leafCertificate = new x509.X509Certificate(state.leafPem);
  const leaf: TestLeaf = {
    keys: { privateKey: await importPKCS8(state.leafKey, "ES256", { extractable: true }), publicKey: await leafCertificate.publicKey.export() },
    certificate: leafCertificate,
    x5c: [certificateToX5c(leafCertificate)],
  };
  return createTestIssuer({ material: { ca, leaf } });
}
