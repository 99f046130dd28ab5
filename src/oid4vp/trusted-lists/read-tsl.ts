/**
 * Reads an ETSI TS 119 612 trusted list (or the EU List of Trusted Lists) from the document its
 * signature covers (xml-signature.ts): issue time, NextUpdate, the pointers to other lists with the
 * certificates allowed to sign each, and every TSP service with its type, status and certificates.
 * Deliberately not read: ServiceHistory (only the current status counts, at the time of the
 * presentation), service extensions (qualifiers, additional service information), TSP names in other
 * languages than the first.
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119612/02.03.01_60/ts_119612v020301p.pdf (5.3, 5.5)
 */
import { TrustedListError } from "./trusted-list-error.ts";

export const TSL_NS = "http://uri.etsi.org/02231/v2#";
const TSL_MIME = "application/vnd.etsi.tsl+xml";

export interface ListedService {
  provider: string;
  name: string;
  type: string;
  /** Absent in a LoTE whose scheme says that being listed is the status. */
  status: string | undefined;
  /** base64 DER. */
  certificates: string[];
}

export interface ListPointer {
  location: string;
  /** base64 DER: the certificates allowed to sign the list at `location`. */
  signerCertificates: string[];
}

export interface ReadList {
  issuedAt: number;
  nextUpdate: number;
  services: ListedService[];
  pointers: ListPointer[];
}

/** @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119612/02.03.01_60/ts_119612v020301p.pdf (5.3.14, 5.3.15, 5.3.13) */
export function readTsl(doc: Document, what: string): ReadList {
  const root = doc.documentElement;
  if (root.localName !== "TrustServiceStatusList" || root.namespaceURI !== TSL_NS) throw new TrustedListError(`${what} is not an ETSI TS 119 612 TrustServiceStatusList`);
  const scheme = child(root, "SchemeInformation");
  if (!scheme) throw new TrustedListError(`${what} has no SchemeInformation`);
  const issuedAt = readTime(text(child(scheme, "ListIssueDateTime")), `${what}'s ListIssueDateTime`);
  // A NextUpdate without a dateTime is a closed list (5.3.15): nothing in it is in force any more.
  const nextUpdate = readTime(text(child(child(scheme, "NextUpdate"), "dateTime")), `${what}'s NextUpdate`);
  const pointers = children(child(scheme, "PointersToOtherTSL"), "OtherTSLPointer").flatMap((pointer) => {
    const location = text(child(pointer, "TSLLocation"));
    const mime = Array.from(pointer.getElementsByTagNameNS("*", "MimeType")).map((node) => node.textContent?.trim());
    // The LoTL points to each list in XML and in PDF, and to itself: only XML lists are followed.
    if (!location || (mime.length > 0 && !mime.includes(TSL_MIME))) return [];
    const signerCertificates = children(child(pointer, "ServiceDigitalIdentities"), "ServiceDigitalIdentity").flatMap(digitalCertificates);
    return [{ location, signerCertificates }];
  });
  const services: ListedService[] = [];
  for (const provider of children(child(root, "TrustServiceProviderList"), "TrustServiceProvider")) {
    const providerName = firstName(child(child(provider, "TSPInformation"), "TSPName"));
    for (const service of children(child(provider, "TSPServices"), "TSPService")) {
      const information = child(service, "ServiceInformation");
      if (!information) continue;
      services.push({
        provider: providerName,
        name: firstName(child(information, "ServiceName")),
        type: text(child(information, "ServiceTypeIdentifier")),
        status: text(child(information, "ServiceStatus")),
        certificates: digitalCertificates(child(information, "ServiceDigitalIdentity")),
      });
    }
  }
  return { issuedAt, nextUpdate, services, pointers };
}

/** Seconds since the epoch of an xsd:dateTime; a list without one cannot be judged, so it is refused. */
export function readTime(value: string | undefined, what: string): number {
  const ms = value ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new TrustedListError(`${what} is missing or not a date-time`);
  return Math.floor(ms / 1000);
}

function digitalCertificates(identity: Element | undefined): string[] {
  return children(identity, "DigitalId").flatMap((id) => children(id, "X509Certificate")).map((node) => (node.textContent ?? "").replace(/\s+/g, "")).filter(Boolean);
}

function firstName(names: Element | undefined): string {
  return text(children(names, "Name")[0]) ?? "";
}

function children(parent: Element | undefined, localName: string): Element[] {
  if (!parent) return [];
  return Array.from(parent.childNodes).filter((node): node is Element => node.nodeType === 1 && (node as Element).localName === localName && (node as Element).namespaceURI === TSL_NS);
}

function child(parent: Element | undefined, localName: string): Element | undefined {
  return children(parent, localName)[0];
}

function text(element: Element | undefined): string {
  return element?.textContent?.trim() ?? "";
}
