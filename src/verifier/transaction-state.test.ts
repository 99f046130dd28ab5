import { expect, test } from "bun:test";
import { awaitsWallet, transactionState } from "./transaction-state.ts";

const now = 1_700_000_000;

test("an open transaction past its lifetime is expired, whatever its stored status", () => {
  for (const status of ["pending", "retrieved", "verifying"] as const) {
    expect(transactionState({ status, expiresAt: now + 1 }, now)).toBe(status);
    expect(transactionState({ status, expiresAt: now }, now)).toBe("expired");
  }
});

test("a decided transaction keeps its outcome after its lifetime, so the relying party can read it", () => {
  for (const status of ["verified", "failed", "completed"] as const) expect(transactionState({ status, expiresAt: now - 100 }, now)).toBe(status);
});

test("only a pending or retrieved transaction awaits the wallet", () => {
  expect(["pending", "retrieved", "verifying", "verified", "failed", "completed", "expired"].filter((state) => awaitsWallet(state as never))).toEqual(["pending", "retrieved"]);
});
