import type { EndpointSpec } from "../context/index.ts";
import { authorize } from "./authorize.ts";
import { endSession } from "./end-session.ts";
import { introspect } from "./introspect.ts";
import { revoke } from "./revoke.ts";
import { token } from "./token.ts";
import { userinfo } from "./userinfo.ts";

const json = (body: unknown) => Response.json(body, { headers: { "Cache-Control": "no-store" } });

/** The OpenID Connect and OAuth endpoints; http/ mounts each at /oauth2/v1/<name> and /oidc.ashx?action=<name>. */
export const OIDC_ENDPOINTS: readonly EndpointSpec[] = [
  { name: "authorize", methods: ["GET", "POST"], errors: "page", handle: (s, c, p) => authorize(s, c, p) },
  { name: "token", methods: ["POST"], errors: "json", handle: token },
  { name: "userinfo", methods: ["GET", "POST"], errors: "json", handle: userinfo },
  { name: "introspect", methods: ["POST"], errors: "json", handle: introspect },
  { name: "revoke", methods: ["POST"], errors: "json", handle: revoke },
  { name: "end_session", methods: ["GET", "POST"], errors: "page", handle: (s, c, p) => endSession(s, c, p) },
  { name: "jwks", methods: ["GET"], errors: "json", handle: async (s, c) => json(await s.keyring.jwks(c.tenant.host)) },
];
