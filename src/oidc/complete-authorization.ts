import type { Authentication } from "../login/index.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { AuthorizationRequest } from "./authorization-request.ts";
import { authorizationResponseUrl } from "./authorization-response.ts";
import type { RequestContext, Services } from "../context/index.ts";

/**
 * The one place a code is minted: an authorization request plus an
 * authentication become a 60-second single-use code (256 bits), bound to the
 * client, redirect_uri, PKCE challenge, nonce, scopes and auth_time, and the
 * redirect that carries it.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export async function completeAuthorization(
  services: Services,
  context: RequestContext,
  request: AuthorizationRequest,
  authentication: Authentication,
): Promise<{ code: string; redirect: string }> {
  const code = randomId(32);
  const now = nowSeconds();
  await services.store.codes.save(
    {
      tenant: context.tenant.host,
      codeHash: hashSecret(code),
      grantId: randomId(16),
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce,
      sub: authentication.sub,
      scope: request.scopes.join(" "),
      authTime: authentication.authTime,
      amr: authentication.amr,
      acr: authentication.acr,
      claims: authentication.claims,
      expiresAt: now + services.config.codeTtl,
    },
    now,
  );
  services.audit.record(context.tenant.host, "code.issued", { client_id: request.client.clientId, sub: authentication.sub, amr: authentication.amr, ip: context.ip });
  return { code, redirect: authorizationResponseUrl(request.redirectUri, context.issuer, request.state, { code }) };
}
