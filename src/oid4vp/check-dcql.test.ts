import { describe, expect, test } from "bun:test";
import { checkDcqlSatisfied } from "./check-dcql.ts";
import { PID_VCT, defaultPidQuery, parseDcqlQuery } from "./dcql-query.ts";

const pid = (claims: Record<string, unknown>) => ({ vct: PID_VCT, claims: { vct: PID_VCT, iss: "https://issuer.test", ...claims } });
const full = { given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12" };

function checkOf(work: () => void): string {
  try {
    work();
    return "accepted";
  } catch (error) {
    return (error as { check?: string }).check ?? String(error);
  }
}

describe("checkDcqlSatisfied", () => {
  test("accepts the default PID query when all three claims are disclosed, and rejects a missing one", () => {
    const query = parseDcqlQuery(defaultPidQuery());
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid(full)] }))).toBe("accepted");
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid({ given_name: "Erika", family_name: "M" })] }))).toBe("dcql_unsatisfied");
    expect(checkOf(() => checkDcqlSatisfied(query, {}))).toBe("dcql_unsatisfied");
  });

  test("rejects a credential of another vct, more presentations than allowed, and unknown query ids", () => {
    const query = parseDcqlQuery(defaultPidQuery());
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [{ vct: "urn:other", claims: full }] }))).toBe("dcql_unsatisfied");
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid(full), pid(full)] }))).toBe("dcql_unsatisfied");
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid(full)], other: [pid(full)] }))).toBe("dcql_unsatisfied");
  });

  test("honours claim_sets: any one listed set of claims suffices", () => {
    const query = parseDcqlQuery({
      credentials: [
        {
          id: "pid",
          format: "dc+sd-jwt",
          meta: { vct_values: [PID_VCT] },
          claims: [
            { id: "n", path: ["nationalities"] },
            { id: "g", path: ["given_name"] },
            { id: "b", path: ["birthdate"] },
          ],
          claim_sets: [["n"], ["g", "b"]],
        },
      ],
    });
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid({ given_name: "Erika", birthdate: "1964-08-12" })] }))).toBe("accepted");
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid({ nationalities: ["DE"] })] }))).toBe("accepted");
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid({ given_name: "Erika" })] }))).toBe("dcql_unsatisfied");
  });

  test("honours credential_sets: a required set needs one satisfied option, an optional set none", () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: "pid", format: "dc+sd-jwt", meta: { vct_values: [PID_VCT] }, claims: [{ path: ["given_name"] }] },
        { id: "legacy", format: "dc+sd-jwt", meta: { vct_values: ["urn:legacy:pid"] }, claims: [{ path: ["given_name"] }] },
        { id: "extra", format: "dc+sd-jwt", meta: { vct_values: ["urn:extra"] } },
      ],
      credential_sets: [
        { options: [["pid"], ["legacy"]] },
        { options: [["extra"]], required: false },
      ],
    });
    expect(checkOf(() => checkDcqlSatisfied(query, { legacy: [{ vct: "urn:legacy:pid", claims: { given_name: "E" } }] }))).toBe("accepted");
    expect(checkOf(() => checkDcqlSatisfied(query, { pid: [pid({ given_name: "E" })] }))).toBe("accepted");
    expect(checkOf(() => checkDcqlSatisfied(query, { extra: [{ vct: "urn:extra", claims: {} }] }))).toBe("dcql_unsatisfied");
  });

  test("parseDcqlQuery refuses malformed queries", () => {
    expect(() => parseDcqlQuery({ credentials: [] })).toThrow();
    expect(() => parseDcqlQuery({ credentials: [{ id: "a", format: "dc+sd-jwt", meta: { vct_values: ["x"] } }, { id: "a", format: "dc+sd-jwt", meta: { vct_values: ["x"] } }] })).toThrow();
    expect(() => parseDcqlQuery({ credentials: [{ id: "a", format: "dc+sd-jwt", meta: { vct_values: ["x"] } }], credential_sets: [{ options: [["missing"]] }] })).toThrow();
  });
});
