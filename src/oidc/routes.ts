import { t } from "elysia";
import type { EndpointSpec } from "../context/index.ts";
import { authorize } from "./authorize.ts";
import { endSession } from "./end-session.ts";
import { introspect } from "./introspect.ts";
import { revoke } from "./revoke.ts";
import { token } from "./token.ts";
import { userinfo } from "./userinfo.ts";

const json = (body: unknown) => Response.json(body, { headers: { "Cache-Control": "no-store" } });

// Declarations, not rules: every value is a string (a form, a query, a flat JSON body), and each
// handler judges its own parameters with the protocol's own error (a redirectable one at authorize,
// invalid_grant for a bad code, `active: false` for an unknown token), so no length or pattern here
// may pre-empt it. The body limit (maxBodyBytes) bounds them all.
const text = (description?: string) => t.Optional(t.String(description ? { description } : {}));
const clientCredentials = { client_id: text("client_secret_post; or HTTP Basic"), client_secret: text() };

const authorizeParams = t.Object({
  client_id: text(), redirect_uri: text(), response_type: text(), response_mode: text(), scope: text(),
  state: text("echoed to the client; over 2048 characters the client hears invalid_request"), nonce: text(),
  code_challenge: text("S256 only (RFC 7636, OAuth 2.1)"), code_challenge_method: text(),
  prompt: text(), max_age: text(), login_hint: text(), acr_values: text(), id_token_hint: text(),
  request: text("not supported: request_not_supported"), request_uri: text("not supported: request_uri_not_supported"),
});

const tokenParams = t.Object({
  grant_type: text(), code: text(), redirect_uri: text(), code_verifier: text(), refresh_token: text(), scope: text(),
  ...clientCredentials,
});

const tokenParam = t.Object({ token: text(), token_type_hint: text(), ...clientCredentials });

/** The OpenID Connect and OAuth endpoints; http/ mounts each at /oauth2/v1/<name> and /oidc.ashx?action=<name>. */
export const OIDC_ENDPOINTS: readonly EndpointSpec[] = [
  { name: "authorize", methods: ["GET", "POST"], errors: "page", params: authorizeParams, summary: "Authorization Code with PKCE (S256): sends the browser to the sign-in page.", handle: (s, c, p) => authorize(s, c, p) },
  { name: "token", methods: ["POST"], errors: "json", params: tokenParams, summary: "Exchanges a code (with its PKCE verifier), rotates a refresh token, or gives a machine client its own token (client_credentials).", handle: token },
  { name: "userinfo", methods: ["GET", "POST"], errors: "json", params: t.Object({ access_token: text("or the Authorization: Bearer header, never both") }), summary: "The signed-in user's claims for the scopes granted.", handle: userinfo },
  { name: "introspect", methods: ["POST"], errors: "json", params: tokenParam, summary: "RFC 7662 introspection of an access or refresh token, for confidential clients.", handle: introspect },
  { name: "revoke", methods: ["POST"], errors: "json", params: tokenParam, summary: "RFC 7009 revocation of an access or refresh token.", handle: revoke },
  {
    name: "end_session", methods: ["GET", "POST"], errors: "page", summary: "RP-initiated logout.",
    params: t.Object({ id_token_hint: text(), post_logout_redirect_uri: text(), client_id: text(), state: text(), ui_locales: text(), logout_hint: text() }),
    handle: (s, c, p) => endSession(s, c, p),
  },
  { name: "jwks", methods: ["GET"], errors: "json", params: t.Object({}), summary: "The tenant's public signing keys.", handle: async (s, c) => json(await s.keyring.jwks(c.tenant.host)) },
];
