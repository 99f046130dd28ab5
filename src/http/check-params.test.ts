import { describe, expect, test } from "bun:test";
import { t } from "elysia";
import { Params } from "../lib/params.ts";
import { findParamProblem } from "./check-params.ts";

const schema = t.Object({
  grant_type: t.String(),
  flow: t.Optional(t.UnionEnum(["cross_device", "same_device"], { default: undefined })),
  label: t.Optional(t.String({ maxLength: 8 })),
  code: t.Optional(t.String({ pattern: "^[0-9]{6}$" })),
});
const check = (values: Record<string, string>) => findParamProblem(schema, Params.fromSearch(new URLSearchParams(values)));

describe("a route's parameters against its schema", () => {
  test("declared parameters that fit pass, and unknown ones are ignored (RFC 6749 §3.1)", () => {
    expect(check({ grant_type: "authorization_code", flow: "same_device", label: "phone", code: "123456", something_else: "x" })).toBeNull();
  });

  test("a missing required parameter is named, and an empty value counts as missing", () => {
    expect(check({})).toEqual({ name: "grant_type", problem: "is required" });
    expect(check({ grant_type: "" })).toEqual({ name: "grant_type", problem: "is required" });
  });

  test("a value outside an enumeration lists the choices", () => {
    expect(check({ grant_type: "x", flow: "sideways" })).toEqual({ name: "flow", problem: "must be one of: cross_device, same_device" });
  });

  test("length and form are described from the schema", () => {
    expect(check({ grant_type: "x", label: "far too long" })).toEqual({ name: "label", problem: "is longer than 8 characters" });
    expect(check({ grant_type: "x", code: "12345a" })).toEqual({ name: "code", problem: "is not in the expected form" });
  });

  test("a JSON body's non-string values arrive as strings, as Params serialises them", () => {
    const params = Params.fromObject({ grant_type: "x", label: 12345 });
    expect(findParamProblem(schema, params)).toBeNull();
  });
});
