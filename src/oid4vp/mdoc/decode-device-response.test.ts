import { describe, expect, test } from "bun:test";
import { cborEncode } from "@owf/mdoc";
import { decodeDeviceResponse } from "./decode-device-response.ts";

const encode = (value: unknown) => Buffer.from(cborEncode(value)).toString("base64url");
const response = (fields: [string, unknown][]) => encode(new Map(fields));
const doc = new Map([["docType", "x"]]);

describe("decodeDeviceResponse", () => {
  test("reads version 1.0, status 0 and the documents", () => {
    expect(decodeDeviceResponse(response([["version", "1.0"], ["documents", [doc]], ["status", 0]])).documents).toHaveLength(1);
  });

  test("refuses a non-zero status, another version, no documents, non-base64url and non-CBOR input", () => {
    const cases: [string, string][] = [
      [response([["version", "1.0"], ["documents", [doc]], ["status", 10]]), "mdoc_status"],
      [response([["version", "2.0"], ["documents", [doc]], ["status", 0]]), "mdoc_format"],
      [response([["version", "1.0"], ["status", 0]]), "mdoc_format"],
      [response([["version", "1.0"], ["documents", ["not a map"]], ["status", 0]]), "mdoc_format"],
      ["eyJub3QiOiJjYm9yIn0=", "mdoc_format"],
      ["_w", "mdoc_format"],
      [encode(["an", "array"]), "mdoc_format"],
    ];
    for (const [input, check] of cases) expect(() => decodeDeviceResponse(input)).toThrow(expect.objectContaining({ check }));
  });
});
