/**
 * mdoc authentication: `deviceSigned.deviceAuth.deviceSignature` is a COSE_Sign1 with a detached
 * payload, DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript,
 * DocType, DeviceNameSpacesBytes]), signed by the MSO's deviceKey. The SessionTranscript is the
 * verifier's own (session-transcript.ts), so a response made for another verifier, nonce, origin or
 * encryption key fails here; DeviceNameSpacesBytes are embedded as received. `deviceMac` is refused:
 * it needs an ephemeral reader key, which OpenID4VP does not establish.
 * @see ISO/IEC 18013-5:2021 §9.1.3.4 (mdoc authentication) and §9.1.3.6 (deviceSignature)
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.6
 */
import type { KeyObject } from "node:crypto";
import { ecPublicKeyFromJwk } from "../ec-crypto.ts";
import { PresentationError } from "../presentation-error.ts";
import { asDataItem, asMap, concatCbor, mapGet, tag24Head } from "./cbor.ts";
import { COSE_ALGORITHMS, parseCoseSign1, verifyCoseSign1 } from "./cose-sign1.ts";
import { coseKeyToJwk } from "./cose-key.ts";

/** @see ISO/IEC 18013-5:2021 §9.1.3.6 */
/** `sessionTranscript`: the CBOR encoding of this transaction's SessionTranscript (mdocSessionTranscript), embedded as it is. */
export async function verifyDeviceAuth(deviceSigned: unknown, deviceKey: unknown, docType: string, sessionTranscript: Uint8Array): Promise<void> {
  const signed = asMap(deviceSigned, "mdoc_device_signature", "deviceSigned");
  const nameSpaces = asDataItem(mapGet(signed, "nameSpaces"), "mdoc_format", "deviceSigned.nameSpaces");
  const deviceAuth = asMap(mapGet(signed, "deviceAuth"), "mdoc_device_signature", "deviceAuth");
  if (deviceAuth.has("deviceMac")) throw new PresentationError("mdoc_device_mac", "deviceMac is not supported over OpenID4VP (no reader key); use deviceSignature");
  const signature = mapGet(deviceAuth, "deviceSignature");
  if (signature === undefined) throw new PresentationError("mdoc_device_signature", "the document carries no deviceSignature");
  const sign1 = parseCoseSign1(signature, "mdoc_device_signature", "the deviceSignature");
  if (sign1.payload !== null) throw new PresentationError("mdoc_device_signature", "the deviceSignature payload must be detached (null)");
  const jwk = coseKeyToJwk(deviceKey);
  if (jwk.crv !== COSE_ALGORITHMS[sign1.alg].curve) throw new PresentationError("mdoc_alg", `the deviceSignature alg does not fit the ${jwk.crv} device key`);
  let key: KeyObject;
  try {
    key = ecPublicKeyFromJwk(jwk, [jwk.crv]);
  } catch (error) {
    throw new PresentationError("mdoc_format", "the MSO deviceKey is not a usable EC key", { internal: error instanceof Error ? error.message : String(error) });
  }
  // DeviceNameSpacesBytes go in as received: tag 24 over the wallet's own bytes.
  const deviceAuthentication = concatCbor([
    { arrayOf: 4 }, { text: "DeviceAuthentication" }, { raw: sessionTranscript }, { text: docType }, { raw: tag24Head(nameSpaces.buffer.length) }, { raw: nameSpaces.buffer },
  ]);
  const deviceAuthenticationBytes = concatCbor([{ raw: tag24Head(deviceAuthentication.length) }, { raw: deviceAuthentication }]);
  if (!(await verifyCoseSign1(sign1, key, deviceAuthenticationBytes))) {
    throw new PresentationError("mdoc_device_signature", "the device signature does not verify over this transaction's SessionTranscript");
  }
}
