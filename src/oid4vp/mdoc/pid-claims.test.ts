import { describe, expect, test } from "bun:test";
import { pidClaimsFromMdoc } from "./pid-claims.ts";

describe("pidClaimsFromMdoc", () => {
  test("gives mdoc PID elements the SD-JWT VC PID names relying parties already read", () => {
    expect(pidClaimsFromMdoc({
      given_name: "Erika", family_name: "Mustermann", birth_date: "1964-08-12", nationality: ["DE"],
      resident_city: "Köln", resident_postal_code: "51147", age_over_18: true, age_over_65: false, personal_administrative_number: "0123456789",
    })).toEqual({
      given_name: "Erika", family_name: "Mustermann", birthdate: "1964-08-12", nationalities: ["DE"],
      address: { locality: "Köln", postal_code: "51147" }, age_equal_or_over: { "18": true, "65": false }, personal_administrative_number: "0123456789",
    });
  });

  test("never lets an element named __proto__ reach the claims object's prototype", () => {
    const claims = pidClaimsFromMdoc(JSON.parse('{"__proto__": {"polluted": true}, "given_name": "Erika"}'));
    expect(claims).toEqual({ given_name: "Erika" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
