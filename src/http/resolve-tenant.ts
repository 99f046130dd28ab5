import type { Store, Tenant } from "../store/index.ts";
import { parseHostHeader } from "../lib/host-name.ts";
import { OAuthError } from "../lib/oauth-error.ts";

export interface ResolvedTenant {
  tenant: Tenant;
  issuer: string;
}

/**
 * The tenant is the request's host name; only configured tenants are served.
 * The Host header is validated before it is used for anything, and an unknown
 * host creates nothing. The issuer is the exact origin the client used.
 * Forwarded host and proto count only when the request came through a trusted proxy (client-address.ts).
 */
export async function resolveTenant(store: Store, request: Request, forwardedTrusted: boolean): Promise<ResolvedTenant> {
  const forwardedHost = forwardedTrusted ? firstValue(request.headers.get("x-forwarded-host")) : null;
  const hostHeader = forwardedHost ?? request.headers.get("host");
  const parsed = parseHostHeader(hostHeader);
  const tenant = parsed ? await store.tenants.get(parsed.host) : null;
  if (!parsed || !tenant) throw new OAuthError("unknown_host", "This host name is not served here.", { internal: `unknown host ${String(hostHeader).slice(0, 80)}` });
  const forwardedProto = forwardedTrusted ? firstValue(request.headers.get("x-forwarded-proto")) : null;
  const scheme = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : new URL(request.url).protocol.replace(":", "");
  const defaultPort = scheme === "https" ? "443" : "80";
  const port = parsed.port && parsed.port !== defaultPort ? `:${parsed.port}` : "";
  return { tenant, issuer: `${scheme}://${parsed.host}${port}` };
}

const firstValue = (header: string | null): string | null => header?.split(",")[0]?.trim() || null;
