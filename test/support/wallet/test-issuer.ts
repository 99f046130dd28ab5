/**
 * A test PID issuer: a CA, an issuer certificate under it, SD-JWT VC PIDs
 * (vct urn:eudi:pid:1) bound to a holder key, and a signed Token Status List
 * (index 0 valid, 1 revoked, 2 suspended). `untrusted` issuers reuse the
 * trusted CA's subject name with a different key.
 */
import { generateSalt, digest } from "@sd-jwt/crypto-nodejs";
import { StatusList, createHeaderAndPayload } from "@sd-jwt/jwt-status-list";
import type { StatusListJWTHeaderParameters } from "@sd-jwt/jwt-status-list";
import { SDJwtInstance } from "@sd-jwt/core";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import type { SdJwtVcPayload } from "@sd-jwt/sd-jwt-vc";
import { SignJWT } from "jose";
import type { JWK } from "jose";
import { createTestCa, issueLeaf } from "./test-pki.ts";
import type { TestCa, TestLeaf } from "./test-pki.ts";

export const PID_VCT = "urn:eudi:pid:1";
export const STATUS_VALID = 0;
export const STATUS_REVOKED = 1;
export const STATUS_SUSPENDED = 2;

export interface TestIssuer {
  ca: TestCa;
  leaf: TestLeaf;
  issuerId: string;
  statusListUri: string;
  issuePid(options: IssuePidOptions): Promise<string>;
  /** The signed status list token served at statusListUri. */
  statusListToken(options?: { signer?: TestLeaf; sub?: string }): Promise<string>;
}

export interface IssuePidOptions {
  holderJwk: JWK;
  claims?: Record<string, unknown>;
  vct?: string;
  typ?: string;
  iat?: number;
  exp?: number;
  /** Index into the issuer's status list; omitted means no status claim. */
  statusIdx?: number;
  /** Also make these (normally plaintext, e.g. "iss") selectively disclosable: a malformed credential. */
  alsoDisclose?: string[];
  /** Issuer-signed claims that are not selectively disclosable: every presentation carries them. */
  plaintext?: Record<string, unknown>;
}

export const DEFAULT_PID_CLAIMS: Record<string, unknown> = {
  given_name: "Erika",
  family_name: "Mustermann",
  birthdate: "1964-08-12",
  nationalities: ["DE"],
  birth_place: "Berlin",
  // PID Rule Book (EUDI ARF Annex 3.1): optional, a unique number the issuing Member State assigns to the person.
  personal_administrative_number: "0123456789",
};

/**
 * The default PID's claims with the subject identifier changed: another `personal_administrative_number`,
 * none (`null`), and/or an SD-JWT VC `sub` (SD-JWT VC §3.2.2.2 lets it be selectively disclosed), plus any other changes.
 */
export function pidClaims(changes: { personal_administrative_number?: string | null; sub?: string } & Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...DEFAULT_PID_CLAIMS, ...changes };
  if (changes.personal_administrative_number === null) delete claims.personal_administrative_number;
  return claims;
}

export interface TestIssuerOptions {
  caName?: string;
  statusListUri?: string;
  /** Reuse a CA and issuer certificate (the wallet CLI keeps them across runs so a tenant trusts them once). */
  material?: { ca: TestCa; leaf: TestLeaf };
}

export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const ca = options.material?.ca ?? (await createTestCa(options.caName));
  const leaf = options.material?.leaf ?? (await issueLeaf(ca));
  const statusListUri = options.statusListUri ?? "https://issuer.test/status/1";
  const statuses = [STATUS_VALID, STATUS_REVOKED, STATUS_SUSPENDED, ...Array<number>(13).fill(STATUS_VALID)];
  return {
    ca,
    leaf,
    issuerId: "https://issuer.test",
    statusListUri,
    async issuePid(pid) {
      const now = Math.floor(Date.now() / 1000);
      const instance = new SDJwtVcInstance(issuerConfig(leaf));
      const claims = pid.claims ?? DEFAULT_PID_CLAIMS;
      const payload: SdJwtVcPayload = {
        iss: "https://issuer.test",
        vct: pid.vct ?? PID_VCT,
        iat: pid.iat ?? now,
        exp: pid.exp ?? now + 30 * 86400,
        cnf: { jwk: pid.holderJwk },
        ...pid.plaintext,
        ...claims,
      };
      if (pid.statusIdx !== undefined) payload.status = { status_list: { uri: statusListUri, idx: pid.statusIdx } };
      const frame = { _sd: [...Object.keys(claims), ...(pid.alsoDisclose ?? [])] } as Parameters<typeof instance.issue>[1];
      // @sd-jwt/sd-jwt-vc refuses to make iss/vct/cnf... disclosable, so a malformed credential goes through the core class.
      const issuing = pid.alsoDisclose?.length ? new SDJwtInstance<SdJwtVcPayload>({ ...issuerConfig(leaf), omitTyp: true }) : instance;
      return issuing.issue(payload, frame, { header: { x5c: leaf.x5c, typ: pid.typ ?? "dc+sd-jwt" } });
    },
    async statusListToken(tokenOptions = {}) {
      const list = new StatusList(statuses, 2);
      const now = Math.floor(Date.now() / 1000);
      const signer = tokenOptions.signer ?? leaf;
      const { header, payload } = createHeaderAndPayload(
        list,
        { sub: tokenOptions.sub ?? statusListUri, iat: now, exp: now + 3600, ttl: 300 },
        { alg: "ES256", typ: "statuslist+jwt", x5c: signer.x5c } as StatusListJWTHeaderParameters,
      );
      return new SignJWT(payload).setProtectedHeader(header as StatusListJWTHeaderParameters & { alg: string }).sign(signer.keys.privateKey);
    },
  };
}

function issuerConfig(leaf: TestLeaf) {
  return { hasher: digest, saltGenerator: generateSalt, signAlg: "ES256" as const, signer: signerFor(leaf.keys.privateKey) };
}

/** An issuer whose CA copies the trusted CA's subject name but has its own key. */
export async function createImpostorIssuer(trusted: TestIssuer): Promise<TestIssuer> {
  return createTestIssuer({ caName: trusted.ca.name, statusListUri: trusted.statusListUri });
}

/** @sd-jwt signer: JOSE ES256 signatures are raw r||s, which is what WebCrypto produces. */
export function signerFor(privateKey: CryptoKey): (data: string) => Promise<string> {
  return async (data) => {
    const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, new TextEncoder().encode(data));
    return Buffer.from(signature).toString("base64url");
  };
}
