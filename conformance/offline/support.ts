// The offline battery's shared part, one concern a file under support/: the OP (one real Sigil per
// test file, started by the test harness on a copy of a data directory provisioned once per run), a
// user agent that does what Sigil's sign-in page does, the checks the conformance suite applies in
// every module of the OIDC plans (PerformStandardIdTokenChecks, the token response checks, the
// generic authorization error checks, the userinfo checks), written against the specifications they
// cite, and the families of modules that differ only by a parameter.
export { pkcePair } from "../../test/support/oauth-flow.ts";
export * from "./support/added-parameter.ts";
export * from "./support/authorization.ts";
export * from "./support/end-session.ts";
export * from "./support/flow.ts";
export * from "./support/id-token.ts";
export * from "./support/logout.ts";
export * from "./support/op.ts";
export * from "./support/scope-module.ts";
export * from "./support/scopes.ts";
export * from "./support/token.ts";
export * from "./support/user-agent.ts";
export * from "./support/userinfo-module.ts";
export * from "./support/userinfo.ts";
export * from "./support/warnings.ts";
