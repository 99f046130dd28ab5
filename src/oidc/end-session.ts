import { escapeHtml, htmlPage } from "../lib/html.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "../context/index.ts";
import { findClient } from "./find-client.ts";
import { readIdTokenHint } from "../keys/index.ts";

/**
 * RP-Initiated Logout. The answer is a small page whose script clears the
 * single sign-on assertion from localStorage (the only session Sigil has) and
 * then, when the request proved which client is asking (a valid id_token_hint)
 * and named one of its registered post_logout_redirect_uris exactly, goes
 * there with `state`. A bad hint, a foreign hint, an unregistered or modified
 * URI, or a URI without a hint never redirects. A valid hint also raises the user's session epoch,
 * which ends their single sign-on assertions everywhere (a copied one included); tokens already
 * issued to relying parties stay theirs to revoke.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export async function endSession(services: Services, context: RequestContext, params: Params): Promise<Response> {
  const hintText = params.get("id_token_hint");
  const postLogoutUri = params.get("post_logout_redirect_uri");
  const clientId = params.get("client_id");
  const state = params.get("state");
  const tenant = context.tenant.host;

  const hint = hintText ? await readIdTokenHint(services.keyring, tenant, context.issuer, hintText) : null;
  if (hintText && !hint) throw new OAuthError("invalid_request", "The id_token_hint was not issued by this server.");
  if (hint && clientId && !hint.audiences.includes(clientId)) throw new OAuthError("invalid_request", "client_id does not match the id_token_hint.");

  let redirect: string | null = null;
  if (postLogoutUri) {
    if (!hint) throw new OAuthError("invalid_request", "A post_logout_redirect_uri needs an id_token_hint.");
    const client = await findClient(services.store, tenant, context.issuer, clientId ?? hint.audiences[0]!);
    if (!client || !client.postLogoutRedirectUris.includes(postLogoutUri)) {
      throw new OAuthError("invalid_request", "The post_logout_redirect_uri is not registered for this application.");
    }
    const url = new URL(postLogoutUri);
    if (state) url.searchParams.set("state", state);
    redirect = url.toString();
  }
  // Sign-out ends every single sign-on assertion of the user, here and in any other browser that holds one.
  if (hint) await services.store.users.raiseSessionEpoch(tenant, hint.sub);
  services.audit.record(tenant, "logout", { sub: hint?.sub ?? null, client_id: clientId ?? hint?.audiences[0] ?? null, redirected: redirect !== null, ip: context.ip });
  const body = redirect
    ? `<main id="sigil-logout" data-redirect="${escapeHtml(redirect)}"><h1>Signing you out…</h1><p class="hidden-until-ready">You are signed out. <a href="${escapeHtml(redirect)}">Continue</a></p></main>`
    : `<main id="sigil-logout"><h1>You are signed out.</h1><p>You can close this window.</p></main>`;
  return new Response(htmlPage("Signed out", body, ["/logout.js"]), {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
