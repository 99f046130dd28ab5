import { expect, test } from "bun:test";
import { makeCertificate } from "../test-certificates.ts";
import { createTrustStore } from "../trust-store.ts";
import { scopePatternProblem, trustForCredentialType, type ScopedTrustStore } from "./scoped-trust.ts";

test("listed anchors serve only the credential types of their scope: a PID provider is no anchor for an mDL", async () => {
  const [manual, pidProvider] = await Promise.all([makeCertificate({ ca: true }), makeCertificate({ ca: true })]);
  const base = await createTrustStore([manual.pem]);
  const pidAnchors = (await createTrustStore([pidProvider.pem])).anchors;
  const store: ScopedTrustStore = { ...base, scoped: [{ scopes: [{ kind: "vct", pattern: "urn:eudi:pid:*" }, { kind: "doctype", pattern: "eu.europa.ec.eudi.pid.1" }], anchors: pidAnchors }] };
  const subjects = (type: Parameters<typeof trustForCredentialType>[1]) => trustForCredentialType(store, type).anchors.map((anchor) => anchor.certificate.subject).sort();
  expect(subjects({ vct: "urn:eudi:pid:1" })).toEqual([manual.name, pidProvider.name].sort());
  expect(subjects({ doctype: "eu.europa.ec.eudi.pid.1" })).toEqual([manual.name, pidProvider.name].sort());
  expect(subjects({ doctype: "org.iso.18013.5.1.mDL" })).toEqual([manual.name]);
  expect(subjects({ vct: "urn:eudi:pid" })).toEqual([manual.name]);
  // A vct pattern never matches a doctype of the same text, nor the reverse.
  expect(subjects({ doctype: "urn:eudi:pid:1" })).toEqual([manual.name]);
  // Each scope set keeps its own chain cache: a chain validated for the PID is not reused for an mDL.
  expect(trustForCredentialType(store, { vct: "urn:eudi:pid:1" }).cache).not.toBe(trustForCredentialType(store, { doctype: "org.iso.18013.5.1.mDL" }).cache);
  expect(trustForCredentialType(store, { vct: "urn:eudi:pid:1" })).toBe(trustForCredentialType(store, { vct: "urn:eudi:pid:2" }));
});

test("a store without listed anchors is used as it is", async () => {
  const base = await createTrustStore([]);
  expect(trustForCredentialType(base, { vct: "urn:eudi:pid:1" })).toBe(base);
});

test("patterns are exact or a trailing-* prefix; * alone and inner * are refused", () => {
  expect(scopePatternProblem("urn:eudi:pid:*")).toBeNull();
  expect(scopePatternProblem("eu.europa.ec.eudi.pid.1")).toBeNull();
  expect(scopePatternProblem("*")).not.toBeNull();
  expect(scopePatternProblem("urn:*:pid")).not.toBeNull();
  expect(scopePatternProblem("")).not.toBeNull();
});
