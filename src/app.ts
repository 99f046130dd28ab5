import { Elysia } from "elysia";
import { ACCOUNT_ROUTES } from "./account/index.ts";
import { handleRequest, endpointRunner, requestUrl, type PeerAddress } from "./http/handle.ts";
import { readParams } from "./http/read-params.ts";
import { findAsset } from "./http/static-assets.ts";
import { OAuthError } from "./lib/oauth-error.ts";
import type { EndpointSpec, RequestContext, Services } from "./context/index.ts";
import { ENDPOINT_PREFIX, OIDC_ENDPOINTS, providerMetadata, requireConfidentialClient } from "./oidc/index.ts";
import { SIGNIN_ENDPOINTS } from "./signin/index.ts";
import { acceptWalletResponse, createPresentation, readPresentation, serveRequestObject } from "./verifier/index.ts";
import type { Params } from "./lib/params.ts";

const CORS_METADATA = { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" };

/** The only place every domain is wired into one Elysia app. */
export function createApp(services: Services) {
  const endpoints = [...OIDC_ENDPOINTS, ...SIGNIN_ENDPOINTS];
  const byName = new Map<string, EndpointSpec>(endpoints.map((spec) => [spec.name, spec]));
  const endpoint = (spec: EndpointSpec) => ({ request, server }: { request: Request; server: PeerAddress | null }) =>
    handleRequest(services, request, server, spec.errors, endpointRunner(services, spec, request));
  const metadata = ({ request, server }: { request: Request; server: PeerAddress | null }) =>
    handleRequest(services, request, server, "json", async (context) => Response.json(providerMetadata(context), { headers: CORS_METADATA }));

  // Bun's own ceiling stays far above Sigil's limit, so that oversized bodies reach
  // read-params and get a JSON 413 instead of an empty one; only absurd sizes stop at Bun.
  const app = new Elysia({ serve: { maxRequestBodySize: Math.max(32 * 1024 * 1024, services.config.maxBodyBytes * 4) } })
    .get("/.well-known/openid-configuration", metadata)
    .get("/.well-known/oauth-authorization-server", metadata)
    .get("/.well-known/jwks.json", ({ request, server }) =>
      handleRequest(services, request, server, "json", async (context) =>
        Response.json(await services.keyring.jwks(context.tenant.host), { headers: CORS_METADATA })));

  for (const spec of endpoints) {
    app.get(`${ENDPOINT_PREFIX}${spec.name}`, endpoint(spec)).post(`${ENDPOINT_PREFIX}${spec.name}`, endpoint(spec));
  }

  // The legacy shape: /oidc.ashx?action=<name>, for relying parties configured against it.
  const legacy = ({ request, server }: { request: Request; server: PeerAddress | null }) => {
    let action = "";
    try {
      action = requestUrl(request).searchParams.get("action") ?? "";
    } catch {
      // handleRequest below answers the bad Host.
    }
    const spec = byName.get(action);
    if (!spec) return handleRequest(services, request, server, "json", async () => { throw new OAuthError("not_found", "Unknown action."); });
    return handleRequest(services, request, server, spec.errors, endpointRunner(services, spec, request));
  };
  app.get("/oidc.ashx", legacy).post("/oidc.ashx", legacy);

  // The signed-in user's self-service API, for /account.html.
  for (const route of ACCOUNT_ROUTES) {
    app.route(route.method, route.path, ({ request, server, params: pathParams }: { request: Request; server: PeerAddress | null; params: Record<string, string> }) =>
      handleRequest(services, request, server, "json", async (context, url) =>
        route.handle(services, context, request.headers.get("authorization"), await readParams(request, url, services.config), pathParams)));
  }

  // The wallet's side of OpenID4VP (request_uri, response_uri) and the verifier API for relying parties,
  // which only a confidential client of the tenant may use.
  const verifierApiClient = (context: RequestContext, request: Request, params: Params) =>
    requireConfidentialClient(services.store, context.tenant.host, context.issuer, request.headers.get("authorization"), params, "the verifier API");
  type Route = { request: Request; server: PeerAddress | null; params?: Record<string, string> };
  const protocol = (run: (context: RequestContext, params: Params, id: string, request: Request) => Promise<Response>) =>
    ({ request, server, params: path }: Route) =>
      handleRequest(services, request, server, "json", async (context, url) => run(context, await readParams(request, url, services.config), path?.id ?? "", request));
  app
    .get("/oid4vp/v1/request/:id", protocol((context, _params, id) => serveRequestObject(services, context, id, null)))
    .post("/oid4vp/v1/request/:id", protocol((context, params, id) => serveRequestObject(services, context, id, params)))
    .post("/oid4vp/v1/response/:id", protocol((context, params, id) => acceptWalletResponse(services, context, id, params)))
    .post("/oid4vp/v1/presentations", protocol(async (context, params, _id, request) =>
      createPresentation(services, context, await verifierApiClient(context, request, params), params)))
    .get("/oid4vp/v1/presentations/:id", protocol(async (context, params, id, request) =>
      readPresentation(services, context, await verifierApiClient(context, request, params), params, id)));

  app.get("/*", ({ request, server }) =>
    handleRequest(services, request, server, "page", async (_context, url) => {
      const asset = findAsset(url.pathname);
      if (!asset) throw new OAuthError("not_found", "There is no such page.");
      return asset;
    }));

  app.onError(({ request, code }) => {
    // Elysia's own failures (unknown route or method, body it could not parse) get the same shapes as ours.
    const error = code === "NOT_FOUND"
      ? new OAuthError("not_found", "There is no such endpoint.")
      : code === "PARSE" || code === "VALIDATION"
        ? new OAuthError("invalid_request", "The request could not be read.")
        : null;
    return handleRequest(services, request, null, "json", async () => { throw error ?? new Error(`elysia ${String(code)}`); });
  });
  return app;
}
