// A plan file in conformance/plans/: the suite plan's name, its variant, and the config
// the suite receives, with placeholders filled in at run time:
//   {SIGIL_URL}        Sigil's public base URL (--sigil or SIGIL_URL)
//   {SIGIL_HOST}       its host name alone (the bare DNS name x509_san_dns client ids carry)
//   {SUITE_URL}        the suite's base URL (CONFORMANCE_SERVER)
//   {SECRET:name}      a value that conformance/setup recorded in conformance/secrets.json
//                      (JSON-escaped, so a PEM with line breaks stays one valid JSON string)
//   "{SECRET_JSON:name}"  (quotes included) a recorded value that is itself JSON, such as a JWK
// The optional `verifier` section is for the OID4VP verifier plans, where the suite plays the
// wallet and waits: once a module waits, the runner asks Sigil's verifier API for a presentation
// with that client and response mode and opens the wallet URL it answers, which points at the
// suite's authorization endpoint (conformance/setup sets the tenant's wallet scheme to it).
import { basename } from "node:path";

export interface PlanFile {
  planName: string;
  variant?: Record<string, string>;
  config: Record<string, unknown>;
  verifier?: VerifierTrigger;
}

export interface VerifierTrigger {
  /** A confidential client of the tenant, for POST /oid4vp/v1/presentations. */
  client_id: string;
  client_secret: string;
  response_mode: "direct_post" | "direct_post.jwt";
  /** The DCQL query to ask for (credential_format=iso_mdl plans ask for an mDL); absent: the tenant's default PID query. */
  dcql_query?: Record<string, unknown>;
}

export interface Substitutions {
  sigilUrl: string;
  suiteUrl: string;
  secrets: Record<string, string>;
}

const escapeInString = (value: string) => JSON.stringify(value).slice(1, -1);

export function loadPlanFile(path: string, text: string, values: Substitutions): { name: string; plan: PlanFile } {
  const secret = (key: string) => {
    const value = values.secrets[key];
    if (value === undefined) throw new Error(`${path}: no secret for SECRET:${key}; run conformance/setup first`);
    return value;
  };
  const filled = text
    .replace(/"\{SECRET_JSON:([A-Za-z0-9._-]+)\}"/g, (_match, key: string) => {
      const value = secret(key);
      JSON.parse(value);
      return value;
    })
    .replace(/\{(SIGIL_URL|SIGIL_HOST|SUITE_URL|SECRET:[A-Za-z0-9._-]+)\}/g, (_match, key: string) => {
      if (key === "SIGIL_URL") return escapeInString(values.sigilUrl.replace(/\/+$/, ""));
      if (key === "SIGIL_HOST") return escapeInString(new URL(values.sigilUrl).hostname);
      if (key === "SUITE_URL") return escapeInString(values.suiteUrl.replace(/\/+$/, ""));
      return escapeInString(secret(key.slice("SECRET:".length)));
    });
  const plan = JSON.parse(filled) as PlanFile;
  if (typeof plan.planName !== "string" || typeof plan.config !== "object" || plan.config === null) throw new Error(`${path}: needs planName and config`);
  return { name: basename(path), plan };
}
