/**
 * Loads one subscribed trusted list into anchors for one service type: the list (fetched, or given
 * as a document) is verified against the operator's signer certificates; a List of Trusted Lists'
 * pointers are followed one level down, each national list verified against the certificates its
 * pointer names (a pointer that fails is ignored and reported, never trusted); then the certificates
 * of services of that type whose status is in force become anchors. A list past its NextUpdate, or
 * not yet issued, is refused like a forged one. The anchors are usable until the earliest NextUpdate
 * among the lists they came from.
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119612/02.03.01_60/ts_119612v020301p.pdf (5.3.13, 5.3.15)
 */
import { readTsl, type ReadList } from "./read-tsl.ts";
import { verifyLote } from "./read-lote.ts";
import { SERVICE_TYPES, isTrustedStatus, type ServiceTypeName } from "./service-types.ts";
import type { ListFetcher } from "./fetch-list.ts";
import { TrustedListError } from "./trusted-list-error.ts";
import { verifyEnvelopedSignature } from "./xml-signature.ts";

export interface TrustedListSource {
  /** Where the list is fetched from; for a document given directly, where it came from (for messages). */
  url: string | null;
  /** The list itself, when the operator gave a file instead of a URL. */
  document?: string | null;
  /** PEM certificates allowed to sign the list. */
  signerPems: readonly string[];
  serviceType: ServiceTypeName;
}

export interface ListedAnchor {
  /** PEM. */
  pem: string;
  provider: string;
  service: string;
  /** The list it was found in. */
  list: string;
}

export interface LoadedTrustedList {
  anchors: ListedAnchor[];
  issuedAt: number;
  /** The earliest NextUpdate of the lists the anchors came from: trust ends there unless refreshed. */
  nextUpdate: number;
  /** Pointers that were not followed, each with why (a bad signature, unreachable, expired). */
  ignored: string[];
}

/** Upper bound on national lists followed from one LoTL (the EU LoTL points to about 30). */
const MAX_POINTERS = 64;
/** Clock skew tolerated on ListIssueDateTime. */
const SKEW = 300;

export async function loadTrustedList(source: TrustedListSource, fetchList: ListFetcher, now: number): Promise<LoadedTrustedList> {
  const what = source.url ?? "the list file";
  const text = source.document ?? (source.url ? await fetchList(source.url) : null);
  if (text === null) throw new TrustedListError("the list has neither a URL nor a document");
  const top = await verifyList(text, source.signerPems, what, now);
  const types = new Set<string>(SERVICE_TYPES[source.serviceType]);
  const isLote = !text.trimStart().startsWith("<");
  const anchors = servicesToAnchors(top, types, isLote, what);
  const ignored: string[] = [];
  let nextUpdate = top.nextUpdate;
  for (const pointer of top.pointers.slice(0, MAX_POINTERS)) {
    if (pointer.location === source.url) continue;
    try {
      if (pointer.signerCertificates.length === 0) throw new TrustedListError("its pointer names no signer certificate");
      const national = await verifyList(await fetchList(pointer.location), pointer.signerCertificates.map(derToPem), pointer.location, now);
      anchors.push(...servicesToAnchors(national, types, false, pointer.location));
      nextUpdate = Math.min(nextUpdate, national.nextUpdate);
    } catch (error) {
      ignored.push(`${pointer.location}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (top.pointers.length > MAX_POINTERS) ignored.push(`${top.pointers.length - MAX_POINTERS} pointer(s) past the first ${MAX_POINTERS}`);
  return { anchors: dedupe(anchors), issuedAt: top.issuedAt, nextUpdate, ignored };
}

async function verifyList(text: string, signerPems: readonly string[], what: string, now: number): Promise<ReadList> {
  const list = text.trimStart().startsWith("<") ? readTsl(verifyEnvelopedSignature(text, signerPems, what), what) : await verifyLote(text.trim(), signerPems, what);
  if (list.nextUpdate <= now) throw new TrustedListError(`${what} expired at its NextUpdate ${new Date(list.nextUpdate * 1000).toISOString()}`);
  if (list.issuedAt > now + SKEW) throw new TrustedListError(`${what} is issued in the future (${new Date(list.issuedAt * 1000).toISOString()})`);
  return list;
}

function servicesToAnchors(list: ReadList, types: Set<string>, isLote: boolean, where: string): ListedAnchor[] {
  return list.services
    .filter((service) => types.has(service.type) && isTrustedStatus(service.status, isLote))
    .flatMap((service) => service.certificates.map((der) => ({ pem: derToPem(der), provider: service.provider, service: service.name, list: where })));
}

function dedupe(anchors: ListedAnchor[]): ListedAnchor[] {
  const seen = new Set<string>();
  return anchors.filter((anchor) => !seen.has(anchor.pem) && seen.add(anchor.pem));
}

export function derToPem(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
}
