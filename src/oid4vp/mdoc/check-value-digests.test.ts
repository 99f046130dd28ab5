import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { DataItem, cborEncode } from "@owf/mdoc";
import { checkValueDigests } from "./check-value-digests.ts";

const NS = "eu.europa.ec.eudi.pid.1";
const item = (digestID: number, elementIdentifier: string, elementValue: unknown) =>
  DataItem.fromData(new Map<string, unknown>([["digestID", digestID], ["random", new Uint8Array(16)], ["elementIdentifier", elementIdentifier], ["elementValue", elementValue]]));
const digestOf = (tagged: DataItem<unknown>) => new Uint8Array(createHash("sha256").update(cborEncode(tagged)).digest());
const mso = (digests: Map<number, Uint8Array>, algorithm = "SHA-256") => new Map<string, unknown>([["digestAlgorithm", algorithm], ["valueDigests", new Map([[NS, digests]])]]);

describe("checkValueDigests", () => {
  test("returns the elements whose digests match, hashing the embedded bytes as received", () => {
    const a = item(0, "given_name", "Erika");
    // Keys in an order no re-encoder would choose: the hash must still be over these very bytes.
    const reordered = DataItem.fromBuffer(cborEncode(new Map<string, unknown>([["elementValue", "Mustermann"], ["elementIdentifier", "family_name"], ["random", new Uint8Array(16)], ["digestID", 1]])));
    const disclosed = checkValueDigests(mso(new Map([[0, digestOf(a)], [1, digestOf(reordered)]])), new Map([[NS, [a, reordered]]]));
    expect({ ...disclosed[NS] }).toEqual({ given_name: "Erika", family_name: "Mustermann" });
  });

  test("refuses a changed value, a digestID the MSO lacks, an unsigned namespace, a repeated element and an unknown digest algorithm", () => {
    const a = item(0, "given_name", "Erika");
    const signed = mso(new Map([[0, digestOf(a)]]));
    const cases: [Map<string, unknown>, unknown][] = [
      [signed, new Map([[NS, [item(0, "given_name", "Mallory")]]])],
      [signed, new Map([[NS, [item(7, "given_name", "Erika")]]])],
      [signed, new Map([["org.example.other", [a]]])],
      [signed, new Map([[NS, [a, a]]])],
      [mso(new Map([[0, digestOf(a)]]), "MD5"), new Map([[NS, [a]]])],
    ];
    for (const [m, nameSpaces] of cases) expect(() => checkValueDigests(m, nameSpaces)).toThrow(expect.objectContaining({ check: "mdoc_digest" }));
  });
});

describe("tag24Head", () => {
  test("is the head cbor-x writes for a tag-24 byte string of every length class", async () => {
    const { tag24Head } = await import("./cbor.ts");
    for (const length of [0, 23, 24, 255, 256, 65535, 65536]) {
      const encoded = cborEncode(DataItem.fromBuffer(new Uint8Array(length)));
      expect([...tag24Head(length)]).toEqual([...encoded.slice(0, encoded.length - length)]);
    }
  });
});
