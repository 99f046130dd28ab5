/**
 * Verifies and reads an ETSI TS 119 602 List of Trusted Entities in its JSON binding, signed as a
 * JAdES compact JWS: the signature is checked with jose against the configured signer
 * certificate(s) (never a key the JWS header brings), then issue time, NextUpdate and each trusted
 * entity's services with their type, status and X.509 certificates are read from the verified
 * payload. Deliberately not followed: PointerToOtherLoTE (a LoTE is subscribed to directly).
 * Services identified by public key or subject name only are skipped: anchors are certificates.
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119602/01.01.01_60/ts_119602v010101p.pdf (6, annex A)
 * @see https://www.etsi.org/deliver/etsi_ts/119100_119199/11918201/01.02.01_60/ts_11918201v010201p.pdf (JAdES)
 */
import { createPublicKey } from "node:crypto";
import { compactVerify } from "jose";
import { readTime, type ReadList } from "./read-tsl.ts";
import { TrustedListError } from "./trusted-list-error.ts";

const ALGORITHMS = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];

/** @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119602/01.01.01_60/ts_119602v010101p.pdf (6.3, 6.5) */
export async function verifyLote(jws: string, signerPems: readonly string[], what: string): Promise<ReadList> {
  if (signerPems.length === 0) throw new TrustedListError(`${what} has no certificate it may be signed with`);
  let payload: Uint8Array | undefined;
  for (const pem of signerPems) {
    try {
      // JAdES may mark its signing time critical; jose refuses any other unknown crit header.
      payload = (await compactVerify(jws, createPublicKey(pem), { algorithms: ALGORITHMS, crit: { sigT: false } })).payload;
      break;
    } catch {
      continue;
    }
  }
  if (!payload) throw new TrustedListError(`${what}'s JWS does not verify with the configured signer certificate(s)`);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch {
    throw new TrustedListError(`${what}'s payload is not JSON`);
  }
  // eudi-lib-kmp-etsi-1196x2 ListOfTrustedEntitiesClaims wraps the list in "LoTE"; some publishers sign the list itself.
  const lote = record(record(body)?.LoTE) ?? record(body);
  const scheme = record(lote?.ListAndSchemeInformation);
  if (!lote || !scheme) throw new TrustedListError(`${what} is not a List of Trusted Entities (no ListAndSchemeInformation)`);
  const issuedAt = readTime(string(scheme.ListIssueDateTime), `${what}'s ListIssueDateTime`);
  const nextUpdate = readTime(string(scheme.NextUpdate), `${what}'s NextUpdate`);
  const entities = Array.isArray(lote.TrustedEntitiesList) ? lote.TrustedEntitiesList : [];
  const services = entities.flatMap((entity) => {
    const provider = multiLang(record(record(entity)?.TrustedEntityInformation)?.TEName);
    const list = record(entity)?.TrustedEntityServices;
    return (Array.isArray(list) ? list : []).flatMap((service) => {
      const information = record(record(service)?.ServiceInformation);
      if (!information) return [];
      const certificates = record(information.ServiceDigitalIdentity)?.X509Certificates;
      return [{
        provider,
        name: multiLang(information.ServiceName),
        type: string(information.ServiceTypeIdentifier) ?? "",
        status: string(information.ServiceStatus),
        certificates: (Array.isArray(certificates) ? certificates : []).map((c) => string(record(c)?.val)?.replace(/\s+/g, "")).filter((c): c is string => !!c),
      }];
    });
  });
  return { issuedAt, nextUpdate, services, pointers: [] };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function string(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The first value of a TS 119 602 MultiLangString array (or a plain string). */
function multiLang(value: unknown): string {
  if (typeof value === "string") return value;
  return Array.isArray(value) ? (string(record(value[0])?.value) ?? "") : "";
}
