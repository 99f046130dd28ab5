// WebAuthn in tests: Chromium's virtual authenticator over CDP (a real WebAuthn client), and a
// software authenticator (an ES256 key this file holds) for the negative cases a browser will not
// produce, so each field of an attestation or assertion (counter, flags, origin, RP ID) can be bent alone.
import { createHash, createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import type { CDPSession, Page } from "playwright-core";

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
}

/** A platform authenticator (ctap2, internal) with resident keys and user verification, that approves every prompt. */
export async function addVirtualAuthenticator(page: Page, options: { isUserVerified?: boolean } = {}): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: options.isUserVerified ?? true, automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export interface ExportedCredential {
  credentialId: string;
  /** base64 PKCS#8 (Chromium's exported credentials may be ML-DSA or Ed25519: only ES256 and Ed25519 can be signed here). */
  privateKey: string;
  rpId: string;
  userHandle: string;
  signCount: number;
}

export async function exportCredentials(authenticator: VirtualAuthenticator): Promise<ExportedCredential[]> {
  const { credentials } = await authenticator.cdp.send("WebAuthn.getCredentials", { authenticatorId: authenticator.authenticatorId });
  return credentials.map((c) => ({
    credentialId: Buffer.from(c.credentialId, "base64").toString("base64url"), privateKey: c.privateKey, rpId: c.rpId ?? "",
    userHandle: Buffer.from(c.userHandle ?? "", "base64").toString("base64url"), signCount: c.signCount,
  }));
}

export interface AssertionOptions {
  challenge: string;
  origin: string;
  rpId: string;
  signCount: number;
  userVerified?: boolean;
  /** Sign with this PKCS#8 key instead (a key that does not belong to the credential). */
  otherKey?: string;
}

/** An AuthenticationResponseJSON as a browser would send it, signed with the credential's key. */
export function signAssertion(credential: ExportedCredential, options: AssertionOptions) {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: options.origin, crossOrigin: false }));
  const flags = 0x01 | (options.userVerified === false ? 0 : 0x04); // UP, and UV unless told otherwise
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(options.signCount);
  const authenticatorData = Buffer.concat([createHash("sha256").update(options.rpId).digest(), Buffer.from([flags]), counter]);
  const signed = Buffer.concat([authenticatorData, createHash("sha256").update(clientDataJSON).digest()]);
  const key = createPrivateKey({ key: Buffer.from(options.otherKey ?? credential.privateKey, "base64"), format: "der", type: "pkcs8" });
  // Chromium's virtual authenticator picks the first algorithm offered; SimpleWebAuthn offers Ed25519 first.
  const signature = key.asymmetricKeyType === "ed25519" ? sign(null, signed, key) : sign("sha256", signed, key);
  return {
    id: credential.credentialId,
    rawId: credential.credentialId,
    type: "public-key",
    clientExtensionResults: {},
    authenticatorAttachment: "platform",
    response: {
      clientDataJSON: clientDataJSON.toString("base64url"),
      authenticatorData: authenticatorData.toString("base64url"),
      signature: signature.toString("base64url"),
      userHandle: credential.userHandle,
    },
  };
}

/** The smallest CBOR encoder a "none" attestation needs: unsigned and negative integers, byte and text strings, maps. */
function cbor(value: number | string | Uint8Array | Map<number | string, unknown>): Buffer {
  const head = (major: number, length: number) => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [key, item] of value) parts.push(cbor(key), cbor(item as never));
  return Buffer.concat(parts);
}

export interface RegistrationOptions {
  challenge: string;
  rp: { id: string };
  user: { id: string };
}

/**
 * A software authenticator: makes an ES256 credential and answers a registration with a
 * "none" attestation, as a security key without attestation would.
 */
export function makeSoftwareCredential(options: RegistrationOptions, origin: string, overrides: { rpId?: string; userVerified?: boolean } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const credentialId = crypto.getRandomValues(new Uint8Array(16));
  const coseKey = cbor(new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]]));
  const idLength = Buffer.from([0, credentialId.length]);
  const flags = 0x01 | 0x40 | (overrides.userVerified === false ? 0 : 0x04); // UP, AT, UV
  const authData = Buffer.concat([
    createHash("sha256").update(overrides.rpId ?? options.rp.id).digest(), Buffer.from([flags]), Buffer.alloc(4), Buffer.alloc(16), idLength, credentialId, coseKey,
  ]);
  const attestationObject = cbor(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
  const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin, crossOrigin: false }));
  const id = Buffer.from(credentialId).toString("base64url");
  const credential: ExportedCredential = {
    credentialId: id, privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"), rpId: options.rp.id, userHandle: options.user.id, signCount: 0,
  };
  const response = {
    id, rawId: id, type: "public-key", clientExtensionResults: {}, authenticatorAttachment: "cross-platform",
    response: { clientDataJSON: clientDataJSON.toString("base64url"), attestationObject: attestationObject.toString("base64url"), transports: ["usb"] },
  };
  return { credential, response };
}
