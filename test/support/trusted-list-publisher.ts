/**
 * A stand-in trusted-list publisher for tests: it writes lists the way the specifications shape
 * them, signs them, and serves them over HTTP. Not built from Sigil's reader:
 * - XML lists follow ETSI TS 119 612 v2.3.1 Annex C (the XML schema 19612_xsd.xsd): root
 *   tsl:TrustServiceStatusList, SchemeInformation (ListIssueDateTime, NextUpdate/dateTime,
 *   PointersToOtherTSL/OtherTSLPointer with ServiceDigitalIdentities and TSLLocation and
 *   AdditionalInformation/OtherInformation/MimeType), TrustServiceProviderList/TrustServiceProvider/
 *   TSPInformation/TSPName and TSPServices/TSPService/ServiceInformation; signed per §5.7.1 with an
 *   enveloped ds:Signature as the root's last child (Reference URI="" with the enveloped transform).
 * - JSON LoTE follows ETSI TS 119 602 v1.1.1 (field names as eudi-lib-kmp-etsi-1196x2 ETSI19602.kt
 *   spells them: LoTE/ListAndSchemeInformation/TrustedEntitiesList/TrustedEntityServices/
 *   ServiceInformation/ServiceDigitalIdentity/X509Certificates[].val), signed as a JAdES compact JWS.
 */
import { createServer, type Server } from "node:http";
import { CompactSign } from "jose";
import { listSignedXml } from "../../src/oid4vp/trusted-lists/xml-signature.ts";
import { makeCertificate, type KeyKind, type TestCertificate } from "../../src/oid4vp/test-certificates.ts";

export const TSL_NS = "http://uri.etsi.org/02231/v2#";
export const PID_SERVICE_TYPE = "http://uri.etsi.org/Svc/Svctype/Provider/PID";
export const LOTE_PID_SERVICE_TYPE = "http://uri.etsi.org/19602/SvcType/PID/Issuance";
export const QEAA_SERVICE_TYPE = "http://uri.etsi.org/TrstSvc/Svctype/EAA/Q";
export const GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
export const WITHDRAWN = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

export interface ListService {
  provider: string;
  type: string;
  status?: string;
  /** base64 DER certificates. */
  certificates: string[];
}

export interface ListPointer {
  location: string;
  signerCertificates: string[];
  mimeType?: string;
}

export interface ListContent {
  issuedAt?: Date;
  nextUpdate?: Date;
  services?: ListService[];
  pointers?: ListPointer[];
}

export interface ListSigner {
  certificate: TestCertificate;
  privateKeyPem: string;
}

const HOUR = 3_600_000;
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const der = (certificate: TestCertificate) => certificate.x5c;

export async function createListSigner(kind: KeyKind = "P-256", name?: string): Promise<ListSigner> {
  const certificate = await makeCertificate({ kind, name: name ?? `CN=Trusted List Signer ${crypto.randomUUID()}, O=Sigil tests` });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", certificate.keys.privateKey)).toString("base64");
  return { certificate, privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n` };
}

export const signerDer = (signer: ListSigner) => der(signer.certificate);

/** An unsigned TS 119 612 list (Annex C element order). */
export function tslXml(content: ListContent, rootId?: string): string {
  const issued = content.issuedAt ?? new Date(Date.now() - HOUR);
  const next = content.nextUpdate ?? new Date(Date.now() + 24 * HOUR);
  const digitalIds = (certificates: string[]) => certificates.map((c) => `<tsl:DigitalId><tsl:X509Certificate>${c}</tsl:X509Certificate></tsl:DigitalId>`).join("");
  const pointers = (content.pointers ?? []).map((p) => `<tsl:OtherTSLPointer><tsl:ServiceDigitalIdentities><tsl:ServiceDigitalIdentity>${digitalIds(p.signerCertificates)}</tsl:ServiceDigitalIdentity></tsl:ServiceDigitalIdentities><tsl:TSLLocation>${escape(p.location)}</tsl:TSLLocation><tsl:AdditionalInformation><tsl:OtherInformation><tslx:MimeType xmlns:tslx="http://uri.etsi.org/02231/v2/additionaltypes#">${p.mimeType ?? "application/vnd.etsi.tsl+xml"}</tslx:MimeType></tsl:OtherInformation></tsl:AdditionalInformation></tsl:OtherTSLPointer>`).join("");
  const providers = (content.services ?? []).map((s) => `<tsl:TrustServiceProvider><tsl:TSPInformation><tsl:TSPName><tsl:Name xml:lang="en">${escape(s.provider)}</tsl:Name></tsl:TSPName></tsl:TSPInformation><tsl:TSPServices><tsl:TSPService><tsl:ServiceInformation><tsl:ServiceTypeIdentifier>${s.type}</tsl:ServiceTypeIdentifier><tsl:ServiceName><tsl:Name xml:lang="en">${escape(s.provider)} service</tsl:Name></tsl:ServiceName><tsl:ServiceDigitalIdentity>${digitalIds(s.certificates)}</tsl:ServiceDigitalIdentity><tsl:ServiceStatus>${s.status ?? GRANTED}</tsl:ServiceStatus><tsl:StatusStartingTime>${issued.toISOString()}</tsl:StatusStartingTime></tsl:ServiceInformation></tsl:TSPService></tsl:TSPServices></tsl:TrustServiceProvider>`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?><tsl:TrustServiceStatusList xmlns:tsl="${TSL_NS}" TSLTag="http://uri.etsi.org/19612/TSLTag"${rootId ? ` Id="${rootId}"` : ""}><tsl:SchemeInformation><tsl:TSLVersionIdentifier>6</tsl:TSLVersionIdentifier><tsl:TSLSequenceNumber>1</tsl:TSLSequenceNumber><tsl:TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</tsl:TSLType><tsl:SchemeOperatorName><tsl:Name xml:lang="en">Test scheme operator</tsl:Name></tsl:SchemeOperatorName>${pointers ? `<tsl:PointersToOtherTSL>${pointers}</tsl:PointersToOtherTSL>` : ""}<tsl:ListIssueDateTime>${issued.toISOString()}</tsl:ListIssueDateTime><tsl:NextUpdate><tsl:dateTime>${next.toISOString()}</tsl:dateTime></tsl:NextUpdate></tsl:SchemeInformation>${providers ? `<tsl:TrustServiceProviderList>${providers}</tsl:TrustServiceProviderList>` : ""}</tsl:TrustServiceStatusList>`;
}

/**
 * Signs a list as §5.7.1 asks: an enveloped signature appended to the root, over the whole document
 * (URI=""); `referenceUri: "#id"` signs only the element with that Id, which wrapping tests need.
 */
export function signXml(xml: string, signer: ListSigner, options: { referenceUri?: string } = {}): string {
  const signed = listSignedXml({ privateKey: signer.privateKeyPem, publicCert: signer.certificate.pem });
  signed.signatureAlgorithm = signer.certificate.kind === "RSA" ? "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" : "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
  signed.canonicalizationAlgorithm = "http://www.w3.org/2001/10/xml-exc-c14n#";
  const whole = options.referenceUri === undefined;
  signed.addReference({
    xpath: whole ? "/*" : `//*[@Id='${options.referenceUri!.slice(1)}']`,
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    isEmptyUri: whole,
  });
  signed.computeSignature(xml, { location: { reference: "/*", action: "append" }, prefix: "ds" });
  return signed.getSignedXml();
}

/** A TS 119 602 LoTE (JSON binding) signed as a compact JWS with the signer's certificate in x5c. */
export async function signLote(content: ListContent, signer: ListSigner): Promise<string> {
  const payload = {
    LoTE: {
      ListAndSchemeInformation: {
        LoTEVersionIdentifier: 1, LoTESequenceNumber: 1, LoTEType: "http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList",
        SchemeOperatorName: [{ lang: "en", value: "Test PID list operator" }],
        ListIssueDateTime: (content.issuedAt ?? new Date(Date.now() - HOUR)).toISOString(),
        NextUpdate: (content.nextUpdate ?? new Date(Date.now() + 24 * HOUR)).toISOString(),
      },
      TrustedEntitiesList: (content.services ?? []).map((s) => ({
        TrustedEntityInformation: { TEName: [{ lang: "en", value: s.provider }] },
        TrustedEntityServices: [{ ServiceInformation: {
          ServiceTypeIdentifier: s.type, ServiceName: [{ lang: "en", value: `${s.provider} service` }],
          ServiceDigitalIdentity: { X509Certificates: s.certificates.map((val) => ({ val })) },
          ...(s.status ? { ServiceStatus: s.status } : {}),
        } }],
      })),
    },
  };
  const alg = signer.certificate.kind === "RSA" ? "RS256" : "ES256";
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg, x5c: [signerDer(signer)] }).sign(signer.certificate.keys.privateKey);
}

/** Serves documents by path over plain HTTP on a loopback port; `set` changes one between requests. */
export async function serveLists(documents: Record<string, string> = {}): Promise<{ url(path: string): string; set(path: string, body: string): void; stop(): Promise<void>; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const body = documents[path];
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": body.startsWith("<") ? "application/vnd.etsi.tsl+xml" : "application/jose" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, body) => void (documents[path] = body),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
    hits,
  };
}
