/**
 * Checks on the server that the verified presentations satisfy the DCQL query
 * (claims, claim_sets, credential_sets, multiple) using the dcql package; the
 * wallet's own evaluation is never trusted.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.9
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6.4
 */
import { DcqlPresentationResult } from "dcql";
import type { DcqlMdocPresentation, DcqlSdJwtVcPresentation } from "dcql";
import { PresentationError } from "./presentation-error.ts";
import type { ParsedDcqlQuery } from "./dcql-query.ts";

export interface VerifiedCredentialForDcql {
  /** "mso_mdoc" for an mdoc (then `vct` is its docType and `claims` are { namespace: { element: value } }); SD-JWT VC otherwise. */
  format?: "mso_mdoc" | "dc+sd-jwt";
  vct: string;
  claims: Record<string, unknown>;
}

/**
 * Throws `dcql_unsatisfied` unless the presentations, keyed by credential query id, fulfil the query.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6.4
 */
export function checkDcqlSatisfied(query: ParsedDcqlQuery, presented: Record<string, VerifiedCredentialForDcql[]>): void {
  const record: Record<string, (DcqlSdJwtVcPresentation | DcqlMdocPresentation)[]> = {};
  for (const [id, credentials] of Object.entries(presented)) {
    record[id] = credentials.map((credential) =>
      credential.format === "mso_mdoc"
        ? {
          credential_format: "mso_mdoc" as const,
          doctype: credential.vct,
          namespaces: credential.claims as DcqlMdocPresentation["namespaces"],
          // Every mdoc reaching this point passed its device signature over this transaction's transcript.
          cryptographic_holder_binding: true,
        }
        : {
          credential_format: "dc+sd-jwt" as const,
          vct: credential.vct,
          claims: credential.claims as DcqlSdJwtVcPresentation["claims"],
          // Every presentation reaching this point passed KB-JWT verification.
          cryptographic_holder_binding: true,
        });
  }
  let result: ReturnType<typeof DcqlPresentationResult.fromDcqlPresentation>;
  try {
    result = DcqlPresentationResult.fromDcqlPresentation(record, { dcqlQuery: query });
  } catch (error) {
    throw new PresentationError("dcql_unsatisfied", "the presentation does not match the requested credentials", {
      internal: error instanceof Error ? error.message : String(error),
    });
  }
  if (!result.can_be_satisfied) {
    const failed = Object.entries(result.credential_matches)
      .filter(([, match]) => !match.success)
      .map(([id]) => id);
    throw new PresentationError("dcql_unsatisfied", `the presentation does not satisfy the query${failed.length ? ` (${failed.join(", ")})` : ""}`);
  }
}
