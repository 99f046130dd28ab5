// The offline battery's OID4VP part, one concern a file under support/: a real Sigil set up as
// conformance/setup sets it up for the oid4vp-1final verifier plans, the test wallet standing in for
// the suite's mock wallet, and the checks the suite's AbstractVP1FinalVerifierTest applies in every
// module (validateRequestObject, validateAuthorizationEndpointRequestParameters,
// validateDirectPostEndpointResponse).
export * from "./support/oid4vp-custom-kb.ts";
export * from "./support/oid4vp-negative-module.ts";
export * from "./support/oid4vp-request-checks.ts";
export * from "./support/oid4vp-response-checks.ts";
export * from "./support/oid4vp-verifier.ts";
