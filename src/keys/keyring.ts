import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from "jose";
import type { SigningKeyRecord, Store } from "../store/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { deriveKey } from "./master-key.ts";
import { openPrivateJwk, openText, sealPrivateJwk, sealText } from "./seal.ts";
import { ha1Matches, macRecoveryDigest, sealDecoyHa1, sealHa1, type Ha1Owner } from "./user-secrets.ts";

interface ActiveSigningKey {
  kid: string;
  alg: "RS256";
  privateKey: CryptoKey;
}

interface TenantKeys {
  active: ActiveSigningKey;
  /** Published public keys (active and previous), by kid. */
  verification: Map<string, CryptoKey>;
  jwks: { keys: JWK[] };
}

/**
 * Per-tenant RS256 signing keys: made on first need, sealed at rest, cached in
 * memory, and reloaded when another process (`sigil keys rotate`) changed the store.
 */
export class Keyring {
  private readonly cache = new Map<string, TenantKeys>();
  private readonly loading = new Map<string, Promise<TenantKeys>>();
  private marker: number;
  private decoyHa1: Promise<string> | null = null;

  private constructor(
    private readonly store: Store,
    private readonly sealingKey: CryptoKey,
    private readonly ssoKeyFor: (tenant: string) => Promise<CryptoKey>,
    private readonly secretSealingKey: CryptoKey,
    private readonly recoveryCodeKey: CryptoKey,
  ) {
    this.marker = store.signingKeys.externalChangeMarker();
  }

  static async create(store: Store, masterSecret: Uint8Array): Promise<Keyring> {
    const sealingKey = await deriveKey(masterSecret, "private-key-sealing", "aes");
    const ssoKeys = new Map<string, Promise<CryptoKey>>();
    const ssoKeyFor = (tenant: string) => {
      let key = ssoKeys.get(tenant);
      if (!key) ssoKeys.set(tenant, (key = deriveKey(masterSecret, `sso-assertion:${tenant}`, "hmac")));
      return key;
    };
    return new Keyring(
      store, sealingKey, ssoKeyFor, await deriveKey(masterSecret, "secret-sealing", "aes"), await deriveKey(masterSecret, "recovery-code-mac", "hmac"),
    );
  }

  /**
   * Signs a JWT with the tenant's active RS256 key, `kid` and `typ` in the header: the only use of a
   * private signing key, which never leaves keys/. Each token type has its own function beside this file.
   */
  async signRs256(tenant: string, typ: string, payload: JWTPayload): Promise<string> {
    const key = (await this.load(tenant)).active;
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
  }

  /** The public key for a kid the tenant publishes, or null (unknown, retired, or another tenant's). */
  async verificationKey(tenant: string, kid: string): Promise<CryptoKey | null> {
    return (await this.load(tenant)).verification.get(kid) ?? null;
  }

  async jwks(tenant: string): Promise<{ keys: JWK[] }> {
    return (await this.load(tenant)).jwks;
  }

  /** HMAC key for the tenant's single sign-on assertions: Sigil alone signs and reads them. */
  ssoKey(tenant: string): Promise<CryptoKey> {
    return this.ssoKeyFor(tenant);
  }

  /** Seals a user secret (a TOTP seed) for storage; `binding` names its owner so it opens only there. */
  sealSecret(binding: string, secret: string): Promise<string> {
    return sealText(this.secretSealingKey, secret, binding);
  }

  /** Opens what sealSecret sealed under the same binding; throws if it was tampered with or moved. */
  openSecret(binding: string, sealed: string): Promise<string> {
    return openText(this.secretSealingKey, sealed, binding);
  }

  /** Seals a user's HA1 for the users table; it opens only on that user's row. */
  sealHa1(tenant: string, sub: string, ha1: string): Promise<string> {
    return sealHa1(this.secretSealingKey, tenant, sub, ha1);
  }

  /** Whether `candidate` is the user's HA1; costs the same for an unknown user (null) and one without a password. */
  ha1Matches(owner: Ha1Owner | null, candidate: string): Promise<boolean> {
    this.decoyHa1 ??= sealDecoyHa1(this.secretSealingKey);
    return this.decoyHa1.then((decoy) => ha1Matches(this.secretSealingKey, decoy, owner, candidate));
  }

  /** What is stored for a recovery code, given its SHA-256 digest (login/totp.ts hashRecoveryCode). */
  recoveryCodeMac(tenant: string, sub: string, digest: string): Promise<string> {
    return macRecoveryDigest(this.recoveryCodeKey, tenant, sub, digest);
  }

  /** Makes a new active key; the old active key stays published as previous. */
  async rotate(tenant: string): Promise<string> {
    const kid = await this.installNewKey(tenant);
    this.cache.delete(tenant);
    return kid;
  }

  private async load(tenant: string): Promise<TenantKeys> {
    const marker = this.store.signingKeys.externalChangeMarker();
    if (marker !== this.marker) {
      this.marker = marker;
      this.cache.clear();
    }
    const cached = this.cache.get(tenant);
    if (cached) return cached;
    let pending = this.loading.get(tenant);
    if (!pending) {
      pending = this.read(tenant).finally(() => this.loading.delete(tenant));
      this.loading.set(tenant, pending);
    }
    const keys = await pending;
    this.cache.set(tenant, keys);
    return keys;
  }

  private async read(tenant: string): Promise<TenantKeys> {
    let records = await this.store.signingKeys.listPublished(tenant);
    if (!records.some((record) => record.status === "active")) {
      await this.installNewKey(tenant);
      records = await this.store.signingKeys.listPublished(tenant);
    }
    const activeRecord = records.find((record) => record.status === "active")!;
    const privateJwk = await openPrivateJwk(this.sealingKey, activeRecord.sealedPrivateKey, binding(activeRecord.tenant, activeRecord.kid));
    const privateKey = (await importJWK(privateJwk as JWK, "RS256")) as CryptoKey;
    const verification = new Map<string, CryptoKey>();
    for (const record of records) verification.set(record.kid, (await importJWK(record.publicJwk as JWK, "RS256")) as CryptoKey);
    return {
      active: { kid: activeRecord.kid, alg: "RS256", privateKey },
      verification,
      jwks: { keys: records.map((record) => ({ ...(record.publicJwk as JWK), kid: record.kid, alg: "RS256", use: "sig" })) },
    };
  }

  private async installNewKey(tenant: string): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const record: SigningKeyRecord = {
      tenant,
      kid,
      alg: "RS256",
      status: "active",
      publicJwk: { kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e },
      sealedPrivateKey: await sealPrivateJwk(this.sealingKey, await exportJWK(privateKey), binding(tenant, kid)),
      createdAt: nowSeconds(),
    };
    await this.store.signingKeys.installActive(record);
    return kid;
  }
}

const binding = (tenant: string, kid: string) => `${tenant}/${kid}`;
