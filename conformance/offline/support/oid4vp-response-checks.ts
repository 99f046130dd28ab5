// validateDirectPostEndpointResponse and what the relying party then sees (OpenID4VP 1.0 §8.2-8.3).
import { expect } from "bun:test";
import { x509 } from "../../../src/oid4vp/x509.ts";
import { fetchRequestObject, type FetchedRequest } from "../../../test/support/wallet/fetch-request-object.ts";
import type { PresentResult } from "../../../test/support/wallet/wallet.ts";
import type { Started, Verifier } from "./oid4vp-verifier.ts";

/** Fetches the request object as the suite's wallet does for the variant (GET unless the module is the POST one). */
export async function fetchRequest(verifier: Verifier, started: Started, options: { forceGet?: boolean } = {}): Promise<FetchedRequest> {
  return fetchRequestObject(started.walletUrl, verifier.fetch, { forceGet: options.forceGet ?? true });
}

/** validateDirectPostEndpointResponse for an accepted presentation: 200, JSON, `{}` or a non-empty redirect_uri. */
export function expectAccepted(result: PresentResult): void {
  expect(result.status).toBe(200); // EnsureHttpStatusCodeIs200
  expect(result.response).toBeObject(); // EnsureContentTypeJson / ValidateDirectPostResponse
  const body = result.response as Record<string, unknown>;
  expect(Object.keys(body).filter((key) => key !== "redirect_uri")).toEqual([]); // ValidateDirectPostResponse: {} or only redirect_uri
  if ("redirect_uri" in body) expect(typeof body.redirect_uri === "string" && body.redirect_uri.length > 0).toBe(true); // ValidateDirectPostResponseRedirectUriWhenPresent
}

/** A negative module passes at once on a 4xx; the transaction must then be failed, not verified. */
export async function expectRejected(verifier: Verifier, started: Started, result: PresentResult): Promise<void> {
  expect(result.status).toBeGreaterThanOrEqual(400);
  expect(result.status).toBeLessThan(500);
  expect(result.response).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
  const after = await verifier.status(started);
  expect(after.status).toBe("failed");
  expect(after.claims).toBeUndefined();
}

/** The relying party sees the verified PID claims once the wallet's answer was accepted. */
export async function expectVerified(verifier: Verifier, started: Started): Promise<void> {
  const after = await verifier.status(started);
  expect(after.status).toBe("verified");
  const claims = after.claims?.[Object.keys(after.claims ?? {})[0]!];
  // An mdoc's elements come by namespace ({ namespace: { element: value } }); an SD-JWT VC's claims flat.
  const familyName = started.variant.credentialFormat === "iso_mdl" ? (Object.values(claims ?? {})[0] as Record<string, unknown> | undefined)?.family_name : claims?.family_name;
  expect(familyName).toBe("Mustermann");
}

/** An x509 certificate helper re-exported for tests that inspect credentials. */
export { x509 };
