/**
 * DCQL queries: parsed and validated by the `dcql` package, plus the default
 * PID query. The same parsed query drives the request object and the
 * server-side fulfilment check.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6
 */
import { DcqlQuery } from "dcql";

export type DcqlQueryInput = DcqlQuery.Input;
export type ParsedDcqlQuery = DcqlQuery.Output;

/** Throws the dcql package's error when the query is malformed (unknown format, duplicate ids, dangling credential_sets). */
export function parseDcqlQuery(input: unknown): ParsedDcqlQuery {
  const parsed = DcqlQuery.parse(input as DcqlQueryInput);
  DcqlQuery.validate(parsed);
  return parsed;
}

/** Parsed queries by their JSON text; a relying party sends a handful of shapes, so this stays small. */
const parsedByText = new Map<string, ParsedDcqlQuery>();
const PARSED_CACHE_LIMIT = 256;

/**
 * parseDcqlQuery for the query a transaction stored, which every response to it re-reads: the
 * dcql package's schema validation costs more than a signature check, so each distinct query text is
 * parsed once and the result, deep-frozen so that no reader can change it for the next, is shared.
 * A query that fails to parse is never cached and fails every time.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6
 */
export function parseStoredDcqlQuery(input: unknown): ParsedDcqlQuery {
  const text = JSON.stringify(input);
  const cached = parsedByText.get(text);
  if (cached) return cached;
  const parsed = deepFreeze(parseDcqlQuery(JSON.parse(text)));
  if (parsedByText.size >= PARSED_CACHE_LIMIT) parsedByText.clear();
  parsedByText.set(text, parsed);
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

export const PID_VCT = "urn:eudi:pid:1";

/**
 * The EU PID with the three claims a sign-in needs.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6.1
 */
export function defaultPidQuery(claims: readonly string[] = ["given_name", "family_name", "birthdate"]): DcqlQueryInput {
  return {
    credentials: [
      {
        id: "pid",
        format: "dc+sd-jwt",
        meta: { vct_values: [PID_VCT] },
        claims: claims.map((name) => ({ path: [name] })),
      },
    ],
  };
}

/** Every vct a credential query accepts, by credential query id (for the vct check before DCQL evaluation). */
export function requestedVcts(query: ParsedDcqlQuery): Map<string, readonly string[]> {
  const result = new Map<string, readonly string[]>();
  for (const credential of query.credentials) {
    if (credential.format === "dc+sd-jwt" || credential.format === "vc+sd-jwt") {
      const meta = credential.meta;
      result.set(credential.id, meta && "vct_values" in meta ? (meta.vct_values ?? []) : []);
    }
  }
  return result;
}

/**
 * The doctype each mso_mdoc credential query asks for (meta.doctype_value, REQUIRED), by credential query id.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-b.2.3
 */
export function requestedDocTypes(query: ParsedDcqlQuery): Map<string, string> {
  const result = new Map<string, string>();
  for (const credential of query.credentials) {
    if (credential.format === "mso_mdoc") result.set(credential.id, credential.meta?.doctype_value ?? "");
  }
  return result;
}

/**
 * The [namespace, element] pairs an mso_mdoc credential query names, or undefined when it names no claims
 * (then every disclosed element is released). A path that is not two strings is not an mdoc claim (§7.2).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-7.2
 */
export function requestedMdocElements(query: ParsedDcqlQuery, queryId: string): [string, string][] | undefined {
  const credential = query.credentials.find((c) => c.id === queryId);
  if (!credential || credential.format !== "mso_mdoc" || !credential.claims) return undefined;
  return credential.claims.flatMap((claim) => {
    // The dcql package also parses the pre-1.0 { namespace, claim_name } form; read both the same way.
    const path: unknown[] = "path" in claim ? claim.path : [claim.namespace, claim.claim_name];
    return path.length === 2 && typeof path[0] === "string" && typeof path[1] === "string" ? [[path[0], path[1]] as [string, string]] : [];
  });
}
