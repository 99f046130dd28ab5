// The mdoc path end to end through the engine (in-memory verifier, test wallet holding mdocs):
// PID and mDL accepted with only the requested elements, and every negative switch refused by the
// check it targets. Each switch breaks exactly one rule, so removing that check makes its test fail.
import { beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { createInMemoryVerifier } from "../../../test/support/wallet/in-memory-verifier.ts";
import type { InMemoryVerifier } from "../../../test/support/wallet/in-memory-verifier.ts";
import { createMdocIssuer, MDL_DOCTYPE, PID_DOCTYPE } from "../../../test/support/wallet/mdoc-issuer.ts";
import type { MdocIssuer } from "../../../test/support/wallet/mdoc-issuer.ts";
import { MDOC_SWITCHES } from "../../../test/support/wallet/mdoc-holder.ts";
import type { MdocSwitch } from "../../../test/support/wallet/mdoc-holder.ts";
import { createTestIssuer } from "../../../test/support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier } from "../../../test/support/wallet/wallet.ts";
import type { PresentOptions, TestWallet } from "../../../test/support/wallet/wallet.ts";
import type { DcqlQueryInput } from "../dcql-query.ts";
import type { PresentationCheck } from "../presentation-error.ts";
import type { ResponseMode } from "../transaction.ts";

const PID_NS = "eu.europa.ec.eudi.pid.1";
const pidQuery: DcqlQueryInput = {
  credentials: [{
    id: "pid", format: "mso_mdoc", meta: { doctype_value: PID_DOCTYPE },
    claims: [{ path: [PID_NS, "given_name"], intent_to_retain: false }, { path: [PID_NS, "family_name"] }, { path: [PID_NS, "birth_date"] }],
  }],
};
const mdlQuery: DcqlQueryInput = {
  credentials: [{ id: "mdl", format: "mso_mdoc", meta: { doctype_value: MDL_DOCTYPE }, claims: [{ path: ["org.iso.18013.5.1", "family_name"] }, { path: ["org.iso.18013.5.1", "driving_privileges"] }] }],
};

let mdocIssuer: MdocIssuer;
let verifier: InMemoryVerifier;
let wallet: TestWallet;

beforeAll(async () => {
  const issuer = await createTestIssuer();
  mdocIssuer = await createMdocIssuer(issuer);
  verifier = await createInMemoryVerifier({ issuer, extraAnchors: [mdocIssuer.iaca.pem] });
  wallet = await createTestWallet(issuer, { mdocIssuer });
});

async function run(options: Omit<PresentOptions, "fetch"> = {}, dcqlQuery = pidQuery, responseMode?: ResponseMode) {
  const { transaction, walletUrl } = await verifier.start({ dcqlQuery, responseMode });
  const result = await presentToVerifier(wallet, walletUrl, { ...options, fetch: verifier.fetch });
  const outcome = verifier.outcomes.get(transaction.id);
  if (!outcome) throw new Error("no outcome recorded");
  return { result, outcome };
}

describe("verifyMdoc through verifyPresentationResponse", () => {
  test("accepts an mdoc PID over direct_post.jwt and releases only the requested elements, as JSON", async () => {
    const { result, outcome } = await run();
    if (!outcome.ok) throw new Error(outcome.error.internal);
    expect(result.status).toBe(200);
    expect(outcome.claims.pid).toEqual({ [PID_NS]: { given_name: "Erika", family_name: "Mustermann", birth_date: "1964-08-12" } });
    const [credential] = outcome.credentials.pid ?? [];
    expect(credential).toMatchObject({ format: "mso_mdoc", vct: PID_DOCTYPE });
    expect(credential?.issuerCertificateHash).toBe(createHash("sha256").update(new Uint8Array(mdocIssuer.signer.certificate.rawData)).digest("base64url"));
  });

  test("accepts an mDL, a plain direct_post response, and a valid status list entry", async () => {
    const mdl = await run({}, mdlQuery);
    if (!mdl.outcome.ok) throw new Error(mdl.outcome.error.internal);
    expect(mdl.outcome.claims.mdl).toEqual({ "org.iso.18013.5.1": { family_name: "Mustermann", driving_privileges: [{ vehicle_category_code: "B" }] } });
    const plain = await run({}, pidQuery, "direct_post");
    if (!plain.outcome.ok) throw new Error(plain.outcome.error.internal);
    const status = await run({ withStatus: true });
    if (!status.outcome.ok) throw new Error(status.outcome.error.internal);
  });

  const expected: Record<MdocSwitch, PresentationCheck> = {
    mdocWrongDocType: "mdoc_doctype",
    mdocTamperedValue: "mdoc_digest",
    mdocDigestMissing: "mdoc_digest",
    mdocExpired: "credential_expired",
    mdocWrongTranscript: "mdoc_device_signature",
    mdocWrongNonce: "mdoc_device_signature",
    mdocOtherClientId: "mdoc_device_signature",
    mdocUntrustedChain: "issuer_trust",
    mdocRevoked: "status_revoked",
    mdocOmitRequired: "dcql_unsatisfied",
    mdocDeviceMac: "mdoc_device_mac",
  };
  for (const name of MDOC_SWITCHES) {
    test(`refuses ${name} with ${expected[name]} and a 4xx`, async () => {
      const { result, outcome } = await run({ mdocSwitches: [name] });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.check).toBe(expected[name]);
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
    });
  }

  test("an mdoc answer to an SD-JWT query is refused, and so is junk where a DeviceResponse belongs", async () => {
    const sdJwt = await run({}, { credentials: [{ id: "pid", format: "dc+sd-jwt", meta: { vct_values: ["urn:eudi:pid:1"] }, claims: [{ path: ["given_name"] }] }] });
    expect(sdJwt.outcome.ok).toBe(true);
    const { transaction } = await verifier.start({ dcqlQuery: pidQuery, responseMode: "direct_post" });
    const response = await verifier.fetch(transaction.response_uri, {
      method: "POST",
      body: new URLSearchParams({ vp_token: JSON.stringify({ pid: ["not-cbor"] }), state: transaction.state }),
    });
    expect(response.status).toBe(400);
    expect(verifier.outcomes.get(transaction.id)).toMatchObject({ ok: false, error: { check: "mdoc_format" } });
  });
});
