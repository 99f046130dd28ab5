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
