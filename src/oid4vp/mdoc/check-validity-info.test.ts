import { describe, expect, test } from "bun:test";
import { checkValidityInfo } from "./check-validity-info.ts";

const now = 1_800_000_000;
const at = (s: number) => new Date(s * 1000);
const info = (signed: number, from: number, until: number) => new Map<string, unknown>([["signed", at(signed)], ["validFrom", at(from)], ["validUntil", at(until)]]);

describe("checkValidityInfo", () => {
  test("accepts now inside [validFrom, validUntil], and a clock up to the skew off", () => {
    checkValidityInfo(info(now - 10, now - 10, now + 10), now, 60);
    checkValidityInfo(info(now, now + 30, now + 100), now, 60);
    checkValidityInfo(info(now - 100, now - 100, now - 30), now, 60);
  });

  test("refuses an expired MSO, one not yet valid, one signed in the future, and missing or non-date fields", () => {
    expect(() => checkValidityInfo(info(now - 200, now - 200, now - 61), now, 60)).toThrow(expect.objectContaining({ check: "credential_expired" }));
    expect(() => checkValidityInfo(info(now - 200, now + 61, now + 200), now, 60)).toThrow(expect.objectContaining({ check: "credential_not_yet_valid" }));
    expect(() => checkValidityInfo(info(now + 61, now - 200, now + 200), now, 60)).toThrow(expect.objectContaining({ check: "credential_not_yet_valid" }));
    expect(() => checkValidityInfo(new Map([["signed", at(now)], ["validFrom", at(now)]]), now, 60)).toThrow(expect.objectContaining({ check: "mdoc_format" }));
    expect(() => checkValidityInfo(new Map([["signed", now], ["validFrom", now], ["validUntil", now + 5]]), now, 60)).toThrow(expect.objectContaining({ check: "mdoc_format" }));
    expect(() => checkValidityInfo(undefined, now, 60)).toThrow(expect.objectContaining({ check: "mdoc_format" }));
  });
});
