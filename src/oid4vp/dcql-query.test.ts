import { describe, expect, test } from "bun:test";
import { defaultPidQuery, parseDcqlQuery, parseStoredDcqlQuery } from "./dcql-query.ts";

describe("parseStoredDcqlQuery", () => {
  test("gives what parseDcqlQuery gives, once per query text, and frozen so no reader can change it for the next", () => {
    const input = defaultPidQuery(["given_name", "family_name"]);
    const first = parseStoredDcqlQuery(input);
    expect(first).toEqual(parseDcqlQuery(input));
    // A new object with the same JSON text is the same query: served from the cache.
    expect(parseStoredDcqlQuery(JSON.parse(JSON.stringify(input)))).toBe(first);
    expect(Object.isFrozen(first.credentials[0]!.claims)).toBe(true);
    expect(() => (first.credentials as unknown[]).push({})).toThrow();
    // Another query text is another query.
    const other = parseStoredDcqlQuery(defaultPidQuery(["given_name"]));
    expect(other).not.toBe(first);
    expect(other.credentials[0]!.claims).toHaveLength(1);
  });

  test("a malformed query fails every time: failures are never cached", () => {
    const bad = { credentials: [{ id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["x"] } }, { id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["x"] } }] };
    expect(() => parseStoredDcqlQuery(bad)).toThrow();
    expect(() => parseStoredDcqlQuery(bad)).toThrow();
  });
});
