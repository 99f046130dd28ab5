import { expect, test } from "bun:test";
import { auditMetric } from "./audit-metric.ts";

test("sign-ins, tokens and presentations are counted with the labels their audit events carry", () => {
  expect(auditMetric("signin.success", { method: "passkey", sub: "s" })).toEqual({ kind: "signin", method: "passkey", result: "success" });
  expect(auditMetric("signin.failure", { method: "pwd", reason: "wrong" })).toEqual({ kind: "signin", method: "pwd", result: "failure" });
  expect(auditMetric("token.issued", { grant: "client_credentials" })).toEqual({ kind: "token", grant: "client_credentials" });
  expect(auditMetric("token.refreshed", {})).toEqual({ kind: "token", grant: "refresh_token" });
  expect(auditMetric("wallet.rejected", { check: "kb_jwt.nonce" })).toEqual({ kind: "presentation", result: "rejected", check: "kb_jwt.nonce" });
  expect(auditMetric("keys.rotated", {})).toBeNull();
});

test("a label value outside its fixed set becomes other, so no caller can mint new series", () => {
  expect(auditMetric("signin.success", { method: "pwd-<script>" })).toMatchObject({ method: "other" });
  expect(auditMetric("token.issued", { grant: "urn:made-up:" + "x".repeat(40) })).toMatchObject({ grant: "other" });
  expect(auditMetric("wallet.rejected", { check: "Anything The Wallet Wrote ".repeat(5) })).toMatchObject({ check: "other" });
});
