/**
 * End-User authentication with a credential (OpenID4VP 1.0 §14.4): the verifier binds an account to
 * a claim that is stable for the person, unique within its issuer and never reassigned, and only
 * together with the issuer. This file makes a DCQL query ask for such a claim, picks the one
 * credential a response is judged by, and cuts a credential down to the claims the query asked for.
 * It does not decide which issuers are trusted (trust-store.ts) or what an account is (login/).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.4
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6.4.1
 */
import { parseDcqlQuery } from "./dcql-query.ts";
import type { DcqlQueryInput } from "./dcql-query.ts";
import { MDOC_PID_DOCTYPE, MDOC_PID_NAMESPACE, pidClaimsFromMdoc } from "./mdoc/pid-claims.ts";

type ClaimPath = (string | number | null)[];
type ClaimQuery = { id?: string; path: ClaimPath; values?: unknown[] };
type CredentialQuery = { id: string; format: string; multiple?: boolean; claims?: ClaimQuery[]; claim_sets?: string[][] } & Record<string, unknown>;

/**
 * The subject identifiers, in the order of preference: the PID's `personal_administrative_number`
 * (PID Rule Book, EUDI ARF Annex 3.1) and the SD-JWT VC `sub` (SD-JWT VC §3.2.2.2). The ids are
 * Sigil's: a query may not use the prefix itself, so that added claims are known as added.
 */
export const SUBJECT_IDENTIFIERS = [
  { id: "sigil_subject_pan", name: "personal_administrative_number" },
  { id: "sigil_subject_sub", name: "sub" },
] as const;
const RESERVED_ID_PREFIX = "sigil_subject_";
const SD_JWT_FORMATS = new Set(["dc+sd-jwt"]);
/**
 * The mdoc PID has no `sub`: its one subject identifier is personal_administrative_number in the PID
 * namespace, under the same claim id (so an SD-JWT and an mdoc option read alike). Other doctypes
 * (the mDL's document_number changes with every new licence) carry no identifier fit for an account.
 */
const MDOC_SUBJECT_IDENTIFIERS = [{ id: "sigil_subject_pan", path: [MDOC_PID_NAMESPACE, "personal_administrative_number"] }] as const;
const SD_JWT_SUBJECT_PATHS = SUBJECT_IDENTIFIERS.map(({ id, name }) => ({ id, path: [name] }));

/** Why a query cannot serve for sign-in; the message is one line for an operator or a page. */
export class AuthenticationQueryError extends Error {
  override name = "AuthenticationQueryError";
}

/**
 * The query a sign-in or link sends: the given one, refused if it lets one credential query
 * return several credentials (`multiple`: the account and the claims must come from one), with
 * every credential query made to ask for a subject identifier too. DCQL has no "one of these
 * claims" but claim_sets, so each option becomes one option per identifier (§6.4.1), the
 * query's own preference first.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-6.4.1
 */
export function authenticationQuery(input: DcqlQueryInput): DcqlQueryInput {
  try {
    parseDcqlQuery(input);
  } catch (error) {
    throw new AuthenticationQueryError(`not a valid DCQL query: ${(error as Error).message.split("\n")[0]}`);
  }
  const query = structuredClone(input) as unknown as { credentials: CredentialQuery[] } & Record<string, unknown>;
  for (const credential of query.credentials) {
    if (credential.multiple === true) {
      throw new AuthenticationQueryError(`credential query ${credential.id} allows several credentials (multiple: true); a sign-in must rest on one credential`);
    }
    const mdoc = credential.format === "mso_mdoc";
    if (!SD_JWT_FORMATS.has(credential.format) && !mdoc) throw new AuthenticationQueryError(`credential query ${credential.id} asks for ${credential.format}; sign-in takes dc+sd-jwt credentials or the mso_mdoc PID`);
    if (mdoc && (credential.meta as { doctype_value?: unknown } | undefined)?.doctype_value !== MDOC_PID_DOCTYPE) {
      throw new AuthenticationQueryError(`credential query ${credential.id} asks for an mdoc other than the PID (${MDOC_PID_DOCTYPE}); only the PID carries a subject identifier for sign-in`);
    }
    if ((credential.claims ?? []).some((claim) => claim.id?.startsWith(RESERVED_ID_PREFIX))) {
      throw new AuthenticationQueryError(`credential query ${credential.id} uses a claim id starting with ${RESERVED_ID_PREFIX}, which Sigil reserves`);
    }
    requireSubjectIdentifier(credential, mdoc ? MDOC_SUBJECT_IDENTIFIERS : SD_JWT_SUBJECT_PATHS);
  }
  const augmented = query as unknown as DcqlQueryInput;
  parseDcqlQuery(augmented);
  return augmented;
}

function requireSubjectIdentifier(credential: CredentialQuery, identifiers: readonly { id: string; path: readonly string[] }[]): void {
  const claims = credential.claims ?? [];
  const taken = new Set(claims.map((claim) => claim.id).filter((id): id is string => id !== undefined));
  let counter = 0;
  const freshId = () => {
    while (taken.has(`claim_${counter}`)) counter++;
    taken.add(`claim_${counter}`);
    return `claim_${counter}`;
  };
  // claim_sets need every claim to have an id (§6.3).
  for (const claim of claims) claim.id ??= freshId();
  const own = claims.map((claim) => claim.id!);
  const options = credential.claim_sets ?? [own];
  const identifierIds = identifiers.map(({ id, path }) => {
    const existing = claims.find((claim) => claim.path.length === path.length && claim.path.every((step, i) => step === path[i]));
    if (existing) return existing.id!;
    claims.push({ id, path: [...path] });
    return id;
  });
  const sets: string[][] = [];
  for (const option of options) {
    for (const identifier of identifierIds) {
      const set = option.includes(identifier) ? option : [...option, identifier];
      if (!sets.some((other) => other.length === set.length && other.every((id, i) => id === set[i]))) sets.push(set);
    }
  }
  credential.claims = claims;
  credential.claim_sets = sets;
}

/**
 * The one credential a sign-in or link is judged by, both for the account and for the claims
 * released: the first credential query, in the query's order, that the response answers, and its
 * presentation (one: `authenticationQuery` refuses `multiple`, and the DCQL check enforces it).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.4
 */
export function chooseAuthenticationCredential<T>(query: DcqlQueryInput, credentials: Record<string, T[]>): { queryId: string; credential: T } | null {
  for (const { id } of query.credentials) {
    const answered = credentials[id];
    if (answered && answered.length === 1) return { queryId: id, credential: answered[0]! };
    if (answered && answered.length > 1) return null;
  }
  return null;
}

/**
 * The subject identifier a credential carries: the first of SUBJECT_IDENTIFIERS present as a non-empty string.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-14.4
 */
export function subjectIdentifierOf(claims: Record<string, unknown>): { name: string; value: string } | null {
  // An mdoc's claims are { namespace: { element: value } }: its PID's identifier sits in the PID namespace, under the same name.
  const pidNamespace = claims[MDOC_PID_NAMESPACE];
  const flat = typeof pidNamespace === "object" && pidNamespace !== null && !Array.isArray(pidNamespace) ? (pidNamespace as Record<string, unknown>) : claims;
  for (const { name } of SUBJECT_IDENTIFIERS) {
    const value = Object.hasOwn(flat, name) ? flat[name] : undefined;
    if (typeof value === "string" && value.length > 0 && value.length <= 1024) return { name, value };
  }
  return null;
}

/**
 * The claims a credential query asked for, taken from a credential: each requested path only, so
 * a nested path yields only its nested value (claims path pointers, §7). Claims Sigil added for
 * the subject identifier are not among them: the relying party did not ask for those. An mdoc PID's
 * elements come out under the SD-JWT VC PID names (mdoc/pid-claims.ts), so relying parties see one shape.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-7
 */
export function requestedClaims(query: DcqlQueryInput, queryId: string, claims: Record<string, unknown>): Record<string, unknown> {
  const credential = (query.credentials as unknown as CredentialQuery[]).find((c) => c.id === queryId);
  let released: Record<string, unknown> = {};
  for (const claim of credential?.claims ?? []) {
    if (claim.id?.startsWith(RESERVED_ID_PREFIX)) continue;
    const selected = select(claims, claim.path);
    if (selected !== undefined) released = merge(released, selected) as Record<string, unknown>;
  }
  if (credential?.format === "mso_mdoc" && (credential.meta as { doctype_value?: unknown } | undefined)?.doctype_value === MDOC_PID_DOCTYPE) {
    const elements = released[MDOC_PID_NAMESPACE];
    return pidClaimsFromMdoc(typeof elements === "object" && elements !== null ? (elements as Record<string, unknown>) : {});
  }
  return released;
}

/** The value at `path`, wrapped in the structure that leads to it; undefined when the path selects nothing. */
function select(value: unknown, path: ClaimPath): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "string") {
    if (typeof value !== "object" || value === null || Array.isArray(value) || head === "__proto__" || !Object.hasOwn(value, head)) return undefined;
    const inner = select((value as Record<string, unknown>)[head], rest);
    return inner === undefined ? undefined : { [head]: inner };
  }
  if (!Array.isArray(value)) return undefined;
  if (head === null) {
    const items = value.map((item) => select(item, rest)).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof head !== "number" || !Number.isInteger(head) || head < 0 || head >= value.length) return undefined;
  const inner = select(value[head], rest);
  return inner === undefined ? undefined : [inner];
}

/** Two selections of the same credential combined: objects key by key, equal-length arrays item by item. */
function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length ? a.map((item, i) => merge(item, b[i])) : b;
  if (isPlainObject(a) && isPlainObject(b)) {
    const result: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) result[key] = Object.hasOwn(result, key) ? merge(result[key], value) : value;
    return result;
  }
  return b;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
