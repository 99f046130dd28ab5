import { describe, expect, test } from "bun:test";
import { checkDocType } from "./check-doctype.ts";

const PID = "eu.europa.ec.eudi.pid.1";
const MDL = "org.iso.18013.5.1.mDL";

describe("checkDocType", () => {
  test("accepts a document whose docType is the requested one and the one its MSO signed", () => {
    expect(checkDocType(PID, PID, PID)).toBe(PID);
  });

  test("refuses a document of another type, and a document relabelled away from its signed type", () => {
    expect(() => checkDocType(MDL, MDL, PID)).toThrow(expect.objectContaining({ check: "mdoc_doctype" }));
    expect(() => checkDocType(PID, MDL, PID)).toThrow(expect.objectContaining({ check: "mdoc_doctype" }));
    expect(() => checkDocType(undefined, PID, PID)).toThrow(expect.objectContaining({ check: "mdoc_format" }));
  });
});
