// The negative oid4vp-1final modules: every variant, each wrong answer refused with a 4xx.
import { test } from "bun:test";
import type { FetchedRequest } from "../../../test/support/wallet/fetch-request-object.ts";
import type { PresentResult } from "../../../test/support/wallet/wallet.ts";
import { expectSuiteRequestChecks } from "./oid4vp-request-checks.ts";
import { expectAccepted, expectRejected, expectVerified, fetchRequest } from "./oid4vp-response-checks.ts";
import { VARIANTS, useVerifier, variantName, type Verifier } from "./oid4vp-verifier.ts";

/** One way of answering a request wrongly. */
export type NegativeCase = [what: string, answer: (verifier: Verifier, fetched: FetchedRequest) => Promise<PresentResult>];

/**
 * A negative module: for every variant and case, the request passes the request checks, and the
 * answer is refused with a 4xx (the suite's immediate pass) and the transaction ends as failed.
 */
export function negativeModule(...cases: NegativeCase[]): void {
  negativeModuleWithControl(null, ...cases);
}

/**
 * As negativeModule, with a positive control first: `control` builds the same kind of answer
 * without the defect and must be accepted, so a refusal is known to be about the defect alone.
 */
export function negativeModuleWithControl(control: NegativeCase | null, ...cases: NegativeCase[]): void {
  const verifier = useVerifier();
  for (const variant of VARIANTS) {
    if (control) {
      test(`${variant.plan} [${variantName(variant)}]: control: ${control[0]} is accepted`, async () => {
        const started = await verifier.start(variant);
        const result = await control[1](verifier, await fetchRequest(verifier, started));
        expectAccepted(result);
        await expectVerified(verifier, started);
      });
    }
    for (const [what, answer] of cases) {
      test(`${variant.plan} [${variantName(variant)}]: ${what} is refused with a 4xx and the transaction fails`, async () => {
        const started = await verifier.start(variant);
        const fetched = await fetchRequest(verifier, started);
        await expectSuiteRequestChecks(started, fetched, verifier.accessCa);
        const result = await answer(verifier, fetched);
        await expectRejected(verifier, started, result);
      });
    }
  }
}
