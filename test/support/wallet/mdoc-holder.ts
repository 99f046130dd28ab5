/**
 * The test holder's mdoc side: answers a DCQL mso_mdoc credential query with a DeviceResponse
 * (ISO/IEC 18013-5:2021 §8.3.2.1.2.2) holding one document: the issuer-signed items the query names
 * (selective disclosure), an empty DeviceNameSpaces, and a deviceSignature (§9.1.3.6) over
 * DeviceAuthenticationBytes with the SessionTranscript of OpenID4VP 1.0 Appendix B.2.6 computed
 * from the request (client_id, nonce, response_uri, and the thumbprint of the encryption key it
 * will encrypt to), or for the DC API from the page's origin. Every MDOC_SWITCH breaks one rule.
 */
import { createHash } from "node:crypto";
import { DataItem, cborEncode } from "@owf/mdoc";
import { calculateJwkThumbprint } from "jose";
import type { JWK } from "jose";
import { createMdocIssuer, DEFAULT_MDL, DEFAULT_MDOC_PID, MDL_DOCTYPE, MDL_NAMESPACE, PID_NAMESPACE, signCose } from "./mdoc-issuer.ts";
import type { MdocIssuer } from "./mdoc-issuer.ts";
import type { RequestObjectPayload } from "./fetch-request-object.ts";
import { STATUS_REVOKED, STATUS_VALID } from "./test-issuer.ts";

export const MDOC_SWITCHES = [
  "mdocWrongDocType", "mdocTamperedValue", "mdocDigestMissing", "mdocExpired", "mdocWrongTranscript",
  "mdocWrongNonce", "mdocOtherClientId", "mdocUntrustedChain", "mdocRevoked", "mdocOmitRequired", "mdocDeviceMac",
] as const;
export type MdocSwitch = (typeof MDOC_SWITCHES)[number];

export interface MdocHolder {
  issuer: MdocIssuer;
  deviceKeys: CryptoKeyPair;
  deviceJwk: JWK;
  /** namespace → elements the holder's documents carry (default: the PID and mDL test persons). */
  documents?: Record<string, Record<string, Record<string, unknown>>>;
}

type CredentialQuery = RequestObjectPayload["dcql_query"]["credentials"][number];

export interface MdocPresentOptions {
  switches?: readonly MdocSwitch[];
  withStatus?: boolean;
  /** DC API: the origin the platform reports; the handover is OpenID4VPDCAPIHandover. */
  origin?: string;
}

const DOCUMENTS: Record<string, Record<string, Record<string, unknown>>> = {
  "eu.europa.ec.eudi.pid.1": { [PID_NAMESPACE]: DEFAULT_MDOC_PID },
  [MDL_DOCTYPE]: { [MDL_NAMESPACE]: DEFAULT_MDL },
};

/** The DeviceResponse (base64url) answering one mso_mdoc credential query. */
export async function presentMdoc(holder: MdocHolder, request: RequestObjectPayload, query: CredentialQuery, options: MdocPresentOptions = {}): Promise<string> {
  const on = new Set(options.switches ?? []);
  const requestedDocType = (query.meta as { doctype_value?: string } | undefined)?.doctype_value ?? "";
  const docType = on.has("mdocWrongDocType") ? (requestedDocType === MDL_DOCTYPE ? "eu.europa.ec.eudi.pid.1" : MDL_DOCTYPE) : requestedDocType;
  const namespaces = (holder.documents ?? DOCUMENTS)[docType] ?? DOCUMENTS[docType] ?? {};
  const now = Math.floor(Date.now() / 1000);
  const issuer = on.has("mdocUntrustedChain") ? await createMdocIssuer(undefined, { iacaName: "CN=Sigil Test IACA, O=Sigil tests, C=DE" }) : holder.issuer;
  // OpenID4VP 1.0 §6.4.1: with claim_sets, the first option the wallet can satisfy.
  let claims = query.claims ?? [];
  const held = (path: readonly unknown[]) => Object.hasOwn(namespaces[path[0] as string] ?? {}, path[1] as string);
  const option = query.claim_sets?.find((set) => set.every((id) => claims.some((c) => c.id === id && held(c.path)))) ?? query.claim_sets?.[0];
  if (option) claims = claims.filter((c) => c.id !== undefined && option.includes(c.id));
  const wanted = claims.map((claim) => claim.path as [string, string]);
  const disclosedNames = wanted.length ? wanted : Object.entries(namespaces).flatMap(([ns, elements]) => Object.keys(elements).map((el) => [ns, el] as [string, string]));
  const selected = on.has("mdocOmitRequired") ? disclosedNames.slice(1) : disclosedNames;
  const issued = await issuer.issue({
    docType,
    namespaces,
    deviceJwk: holder.deviceJwk,
    ...(on.has("mdocExpired") ? { validFrom: now - 400 * 86400, validUntil: now - 86400 } : {}),
    statusIdx: options.withStatus || on.has("mdocRevoked") ? (on.has("mdocRevoked") ? STATUS_REVOKED : STATUS_VALID) : undefined,
    omitDigestFor: on.has("mdocDigestMissing") ? selected[0]?.[1] : undefined,
  });
  const nameSpaces = new Map<string, DataItem<unknown>[]>();
  for (const [namespace, items] of Object.entries(issued.items)) {
    const chosen = items.filter((item) => selected.some(([ns, el]) => ns === namespace && el === item.data.get("elementIdentifier")));
    if (chosen.length) nameSpaces.set(namespace, chosen);
  }
  if (on.has("mdocTamperedValue")) {
    const [namespace, items] = [...nameSpaces.entries()][0]!;
    const original = items[0] as DataItem<Map<string, unknown>>;
    const forged = new Map(original.data);
    forged.set("elementValue", "Mallory");
    nameSpaces.set(namespace, [DataItem.fromData(forged), ...items.slice(1)]);
  }

  const transcript = await sessionTranscript(request, {
    nonce: on.has("mdocWrongNonce") ? "wrong-nonce-0123456789abcdef" : request.nonce,
    clientId: on.has("mdocOtherClientId") ? "x509_san_dns:verifier.evil.example" : request.client_id,
    responseUri: on.has("mdocWrongTranscript") ? "https://verifier.evil.example/response" : request.response_uri,
    origin: options.origin,
  });
  const deviceNameSpacesBytes = DataItem.fromData(new Map());
  const deviceAuthenticationBytes = cborEncode(DataItem.fromData(["DeviceAuthentication", transcript, docType, deviceNameSpacesBytes]));
  const deviceSignature = await signCose(holder.deviceKeys.privateKey, deviceAuthenticationBytes, new Map(), true);
  const deviceAuth = on.has("mdocDeviceMac")
    ? new Map([["deviceMac", [cborEncode(new Map([[1, 5]])), new Map(), null, new Uint8Array(32)]]])
    : new Map([["deviceSignature", deviceSignature]]);
  const document = new Map<string, unknown>([
    ["docType", docType],
    ["issuerSigned", new Map<string, unknown>([["nameSpaces", nameSpaces], ["issuerAuth", issued.issuerAuth]])],
    ["deviceSigned", new Map<string, unknown>([["nameSpaces", deviceNameSpacesBytes], ["deviceAuth", deviceAuth]])],
  ]);
  const response = new Map<string, unknown>([["version", "1.0"], ["documents", [document]], ["status", 0]]);
  return Buffer.from(cborEncode(response)).toString("base64url");
}

/** OpenID4VP 1.0 Appendix B.2.6.1 (redirects) and B.2.6.2 (DC API), as a wallet computes it from the request. */
async function sessionTranscript(request: RequestObjectPayload, values: { nonce: string; clientId: string; responseUri: string; origin?: string }) {
  const mode = request.response_mode as string;
  const encrypted = mode === "direct_post.jwt" || mode === "dc_api.jwt";
  const encKey = request.client_metadata?.jwks?.keys.find((k) => k.use === "enc" || k.alg === "ECDH-ES");
  const thumbprint = encrypted && encKey ? new Uint8Array(Buffer.from(await calculateJwkThumbprint(encKey as JWK, "sha256"), "base64url")) : null;
  const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest());
  const handover = mode.startsWith("dc_api")
    ? ["OpenID4VPDCAPIHandover", sha256(cborEncode([values.origin, values.nonce, thumbprint]))]
    : ["OpenID4VPHandover", sha256(cborEncode([values.clientId, values.nonce, thumbprint, values.responseUri]))];
  return [null, null, handover];
}

export async function createMdocHolder(issuer: MdocIssuer, deviceKeys: CryptoKeyPair, deviceJwk: JWK): Promise<MdocHolder> {
  return { issuer, deviceKeys, deviceJwk };
}
