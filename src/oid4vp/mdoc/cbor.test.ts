import { describe, expect, test } from "bun:test";
import { DataItem, cborEncode } from "@owf/mdoc";
import { CBOR_NULL, concatCbor, tag24Head } from "./cbor.ts";

const LENGTHS = [0, 1, 23, 24, 255, 256, 65535, 65536];

describe("concatCbor", () => {
  test("writes byte strings, text strings (UTF-8 included) and arrays byte for byte as cborEncode does, in every length class", () => {
    for (const length of LENGTHS) {
      const bytes = crypto.getRandomValues(new Uint8Array(Math.min(length, 65536)));
      const text = "é".repeat(Math.floor(length / 2)) + "a".repeat(length % 2);
      const ours = concatCbor([{ arrayOf: 4 }, { text: "Signature1" }, { bytes }, { text }, CBOR_NULL]);
      expect(Buffer.from(ours).equals(Buffer.from(cborEncode(["Signature1", bytes, text, null])))).toBe(true);
    }
    const many = Array.from({ length: 300 }, (_, i) => `e${i}`);
    expect(Buffer.from(concatCbor([{ arrayOf: many.length }, ...many.map((text) => ({ text }))])).equals(Buffer.from(cborEncode(many)))).toBe(true);
  });

  test("embeds a tag-24 item as received, as cborEncode embeds a DataItem, so a wallet's map order is kept", () => {
    // A map whose keys are not in canonical order: re-encoding could reorder it, embedding must not.
    const received = new Uint8Array([0xa2, 0x61, 0x62, 0x01, 0x61, 0x61, 0x02]);
    const ours = concatCbor([{ arrayOf: 2 }, { text: "DeviceAuthentication" }, { raw: tag24Head(received.length) }, { raw: received }]);
    expect(Buffer.from(ours).equals(Buffer.from(cborEncode(["DeviceAuthentication", DataItem.fromBuffer(received)])))).toBe(true);
  });
});
