/**
 * Decodes one vp_token entry, a base64url DeviceResponse, and checks its envelope: version "1.0",
 * status 0 (OK), and at least one document. What the documents hold is checked elsewhere.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.5
 * @see ISO/IEC 18013-5:2021 §8.3.2.1.2.2 (DeviceResponse)
 */
import { PresentationError } from "../presentation-error.ts";
import { asArray, asMap, decodeCbor, mapGet } from "./cbor.ts";

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A PID or mDL DeviceResponse is kilobytes; refuse megabytes before decoding them. */
const MAX_BYTES = 512 * 1024;

export interface DecodedDeviceResponse {
  documents: Map<unknown, unknown>[];
}

/** @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-B.2.5 */
export function decodeDeviceResponse(presentation: string): DecodedDeviceResponse {
  if (typeof presentation !== "string" || !BASE64URL.test(presentation)) throw new PresentationError("mdoc_format", "the mdoc presentation is not base64url");
  if (presentation.length > (MAX_BYTES * 4) / 3) throw new PresentationError("mdoc_format", "the mdoc presentation is too large");
  const response = asMap(decodeCbor(new Uint8Array(Buffer.from(presentation, "base64url")), "mdoc_format", "the DeviceResponse"), "mdoc_format", "the DeviceResponse");
  if (mapGet(response, "version") !== "1.0") throw new PresentationError("mdoc_format", `DeviceResponse version ${String(mapGet(response, "version"))} is not 1.0`);
  const status = mapGet(response, "status");
  if (status !== 0) throw new PresentationError("mdoc_status", `the DeviceResponse status is ${String(status)}, not 0 (OK)`);
  const documents = asArray(mapGet(response, "documents") ?? [], "mdoc_format", "DeviceResponse documents");
  if (documents.length === 0) throw new PresentationError("mdoc_format", "the DeviceResponse holds no document");
  return { documents: documents.map((document) => asMap(document, "mdoc_format", "a DeviceResponse document")) };
}
