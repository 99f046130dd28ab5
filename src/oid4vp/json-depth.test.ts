import { describe, expect, test } from "bun:test";
import { jsonDepthExceeds } from "./json-depth.ts";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("jsonDepthExceeds", () => {
  test("counts arrays and objects alike, and says true only above the limit", () => {
    expect(jsonDepthExceeds(nested(3), 3)).toBe(false);
    expect(jsonDepthExceeds(nested(4), 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
    expect(jsonDepthExceeds("[1,[2],[3],[4]]", 2)).toBe(false);
    expect(jsonDepthExceeds('"plain"', 0)).toBe(false);
  });

  test("ignores brackets inside strings, including after escaped quotes and backslashes", () => {
    expect(jsonDepthExceeds(`["${"[".repeat(100)}"]`, 1)).toBe(false);
    expect(jsonDepthExceeds(`{"k":"\\"[[[[{{{{"}`, 1)).toBe(false);
    expect(jsonDepthExceeds(`["\\\\", [[1]]]`, 2)).toBe(true); // the string is one backslash; the brackets after it count
    expect(jsonDepthExceeds(`["\\\\", [[1]]]`, 3)).toBe(false);
    expect(jsonDepthExceeds(`["\\u005b\\"", {"a":["]]]]"]}]`, 3)).toBe(false);
  });

  test("closing brackets before opening ones cannot hide depth", () => {
    expect(jsonDepthExceeds("]".repeat(50) + nested(40), 32)).toBe(true);
  });

  test("scans a 53 KB deep array in linear time without touching the stack", () => {
    const text = nested(26_500);
    const started = performance.now();
    expect(jsonDepthExceeds(text, 32)).toBe(true);
    expect(jsonDepthExceeds(`"${text}"`, 32)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
