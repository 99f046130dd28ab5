import { describe, expect, test } from "bun:test";
import { DcqlPresentationResult } from "dcql";
import {
  AuthenticationQueryError, authenticationQuery, chooseAuthenticationCredential, requestedClaims, subjectIdentifierOf,
} from "./authentication-query.ts";
import { PID_VCT, defaultPidQuery, parseDcqlQuery, type DcqlQueryInput } from "./dcql-query.ts";

const pid = (extra: Record<string, unknown> = {}) => ({ id: "pid", format: "dc+sd-jwt", meta: { vct_values: [PID_VCT] }, ...extra });
const query = (...credentials: Record<string, unknown>[]) => ({ credentials }) as unknown as DcqlQueryInput;
type Credential = { claims?: { id?: string; path: unknown[] }[]; claim_sets?: string[][] };
const first = (q: DcqlQueryInput) => q.credentials[0] as unknown as Credential;

/** Does the dcql package find that a credential with these claims fulfils the query? */
function fulfils(q: DcqlQueryInput, claims: Record<string, unknown>): boolean {
  const presentation = { credential_format: "dc+sd-jwt" as const, vct: PID_VCT, claims: claims as never, cryptographic_holder_binding: true };
  return DcqlPresentationResult.fromDcqlPresentation({ pid: [presentation] }, { dcqlQuery: parseDcqlQuery(q) }).can_be_satisfied;
}

describe("authenticationQuery", () => {
  test("asks for the query's claims plus one subject identifier, as one claim set per identifier, PAN first", () => {
    const augmented = authenticationQuery(defaultPidQuery());
    const credential = first(augmented);
    expect(credential.claims!.map((c) => c.path)).toEqual([["given_name"], ["family_name"], ["birthdate"], ["personal_administrative_number"], ["sub"]]);
    const [given, family, birth, pan, sub] = credential.claims!.map((c) => c.id!) as [string, string, string, string, string];
    expect(credential.claim_sets).toEqual([[given, family, birth, pan], [given, family, birth, sub]]);
    const person = { given_name: "A", family_name: "B", birthdate: "2000-01-01" };
    expect(fulfils(augmented, { ...person, personal_administrative_number: "1" })).toBe(true);
    expect(fulfils(augmented, { ...person, sub: "s" })).toBe(true);
    expect(fulfils(augmented, person)).toBe(false);
    // The caller's query is left as it was.
    expect(first(defaultPidQuery()).claim_sets).toBeUndefined();
  });

  test("combines with the query's own claim_sets, keeping their order, and reuses an identifier claim the query has", () => {
    const own = query(pid({
      claims: [{ id: "age", path: ["age_over_18"] }, { id: "born", path: ["birthdate"] }, { id: "pan", path: ["personal_administrative_number"] }],
      claim_sets: [["age"], ["born"]],
    }));
    const credential = first(authenticationQuery(own));
    expect(credential.claims!.map((c) => c.id)).toEqual(["age", "born", "pan", "sigil_subject_sub"]);
    expect(credential.claim_sets).toEqual([["age", "pan"], ["age", "sigil_subject_sub"], ["born", "pan"], ["born", "sigil_subject_sub"]]);
  });

  test("a query without claims asks for an identifier alone", () => {
    const credential = first(authenticationQuery(query(pid())));
    expect(credential.claim_sets).toEqual([["sigil_subject_pan"], ["sigil_subject_sub"]]);
  });

  test("refuses multiple: true, formats other than dc+sd-jwt, Sigil's reserved claim ids, and malformed queries", () => {
    const refusals: [DcqlQueryInput, string][] = [
      [query(pid({ multiple: true, claims: [{ path: ["given_name"] }] })), "multiple"],
      [query({ id: "mdl", format: "mso_mdoc", meta: { doctype_value: "org.iso.18013.5.1.mDL" } }), "mdoc other than the PID"],
      [query({ id: "x", format: "jwt_vc_json", meta: { type_values: [["VerifiableCredential"]] } }), "jwt_vc_json"],
      [query(pid({ claims: [{ id: "sigil_subject_pan", path: ["given_name"] }] })), "reserves"],
      [{ credentials: [] } as unknown as DcqlQueryInput, "not a valid DCQL query"],
    ];
    for (const [input, message] of refusals) {
      expect(() => authenticationQuery(input)).toThrow(AuthenticationQueryError);
      expect(() => authenticationQuery(input)).toThrow(message);
    }
  });
});

describe("authenticationQuery with the mdoc PID", () => {
  const NS = "eu.europa.ec.eudi.pid.1";
  test("asks for personal_administrative_number in the PID namespace (the mdoc PID has no sub)", () => {
    const credential = first(authenticationQuery(query({ id: "pid", format: "mso_mdoc", meta: { doctype_value: NS }, claims: [{ id: "gn", path: [NS, "given_name"] }] })));
    expect(credential.claims).toContainEqual({ id: "sigil_subject_pan", path: [NS, "personal_administrative_number"] });
    expect(credential.claim_sets).toEqual([["gn", "sigil_subject_pan"]]);
  });

  test("subjectIdentifierOf finds the identifier inside the PID namespace", () => {
    expect(subjectIdentifierOf({ [NS]: { personal_administrative_number: "p", given_name: "A" } })).toEqual({ name: "personal_administrative_number", value: "p" });
    expect(subjectIdentifierOf({ [NS]: { given_name: "A" } })).toBeNull();
  });

  test("requestedClaims gives the mdoc PID's requested elements the SD-JWT PID names, and not the identifier Sigil added", () => {
    const q = authenticationQuery(query({ id: "pid", format: "mso_mdoc", meta: { doctype_value: NS }, claims: [{ path: [NS, "given_name"] }, { path: [NS, "birth_date"] }] }));
    const claims = { [NS]: { given_name: "A", birth_date: "1964-08-12", personal_administrative_number: "p", family_name: "unrequested" } };
    expect(requestedClaims(q, "pid", claims)).toEqual({ given_name: "A", birthdate: "1964-08-12" });
  });
});

describe("chooseAuthenticationCredential", () => {
  test("takes the first credential query in the query's order that the response answers, whatever the response's order", () => {
    const q = query(pid({ id: "a" }), pid({ id: "b" }), pid({ id: "c" }));
    expect(chooseAuthenticationCredential(q, { c: ["from c"], b: ["from b"] })).toEqual({ queryId: "b", credential: "from b" });
    expect(chooseAuthenticationCredential(q, { b: ["one", "two"] })).toBeNull();
    expect(chooseAuthenticationCredential(q, {})).toBeNull();
  });
});

describe("subjectIdentifierOf", () => {
  test("prefers personal_administrative_number to sub, and takes only non-empty strings", () => {
    expect(subjectIdentifierOf({ sub: "s", personal_administrative_number: "p" })).toEqual({ name: "personal_administrative_number", value: "p" });
    expect(subjectIdentifierOf({ sub: "s", personal_administrative_number: 7 })).toEqual({ name: "sub", value: "s" });
    expect(subjectIdentifierOf({ sub: "", given_name: "A" })).toBeNull();
  });
});

describe("requestedClaims", () => {
  const credential = {
    given_name: "A", email: "a@example.org", email_verified: true, personal_administrative_number: "p",
    address: { locality: "Berlin", street_address: "Hauptstraße 1" }, nationalities: ["DE", "FR"],
  };

  test("keeps only the requested paths, a nested path only its nested value, and never the identifier Sigil added", () => {
    const q = authenticationQuery(query(pid({ claims: [{ path: ["given_name"] }, { path: ["address", "locality"] }, { path: ["nationalities", null] }] })));
    expect(requestedClaims(q, "pid", credential)).toEqual({ given_name: "A", address: { locality: "Berlin" }, nationalities: ["DE", "FR"] });
  });

  test("an identifier the relying party asked for itself is released; an index selects one element", () => {
    const q = authenticationQuery(query(pid({ claims: [{ path: ["personal_administrative_number"] }, { path: ["nationalities", 1] }, { path: ["missing"] }] })));
    expect(requestedClaims(q, "pid", credential)).toEqual({ personal_administrative_number: "p", nationalities: ["FR"] });
    expect(requestedClaims(q, "other", credential)).toEqual({});
  });
});
