import { Elysia } from "elysia";
import { ACCOUNT_ROUTES, AccountError } from "./account/index.ts";
import { ADMIN_API_PREFIX, ADMIN_DOCS_CSS, ADMIN_ROUTES, adminApiDocument, adminDocsPage } from "./admin/index.ts";
import { adminFallback, serveAdminRoute } from "./http/admin-route.ts";
import { findParamProblem } from "./http/check-params.ts";
import { handleRequest, endpointRunner, invalidParameter, requestUrl } from "./http/handle.ts";
import { readParams } from "./http/read-params.ts";
import { findAsset } from "./http/static-assets.ts";
import { OAuthError } from "./lib/oauth-error.ts";
import type { EndpointSpec, Services } from "./context/index.ts";
import { ENDPOINT_PREFIX, OIDC_ENDPOINTS, providerMetadata, requireConfidentialClient } from "./oidc/index.ts";
import { SIGNIN_ENDPOINTS } from "./signin/index.ts";
import { VERIFIER_ROUTES } from "./verifier/index.ts";

const CORS_METADATA = { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" };

/** The only place every domain is wired into one Elysia app. */
export function createApp(services: Services) {
  const endpoints = [...OIDC_ENDPOINTS, ...SIGNIN_ENDPOINTS];
  const byName = new Map<string, EndpointSpec>(endpoints.map((spec) => [spec.name, spec]));
  const endpoint = (spec: EndpointSpec) => ({ request }: { request: Request }) =>
    handleRequest(services, request, spec.errors, endpointRunner(services, spec, request));
  const metadata = ({ request }: { request: Request }) =>
    handleRequest(services, request, "json", async (context) => Response.json(providerMetadata(context), { headers: CORS_METADATA }));

  // Served by runtime/serve.ts through app.fetch (cli/serve.ts), which also sets Bun's body ceiling.
  const app = new Elysia()
    .get("/.well-known/openid-configuration", metadata)
    .get("/.well-known/oauth-authorization-server", metadata)
    .get("/.well-known/jwks.json", ({ request }) =>
      handleRequest(services, request, "json", async (context) =>
        Response.json(await services.keyring.jwks(context.tenant.host), { headers: CORS_METADATA })));

  for (const spec of endpoints) {
    app.get(`${ENDPOINT_PREFIX}${spec.name}`, endpoint(spec)).post(`${ENDPOINT_PREFIX}${spec.name}`, endpoint(spec));
  }

  // The legacy shape: /oidc.ashx?action=<name>, for relying parties configured against it.
  const legacy = ({ request }: { request: Request }) => {
    let action = "";
    try {
      action = requestUrl(request).searchParams.get("action") ?? "";
    } catch {
      // handleRequest below answers the bad Host.
    }
    const spec = byName.get(action);
    if (!spec) return handleRequest(services, request, "json", async () => { throw new OAuthError("not_found", "Unknown action."); });
    return handleRequest(services, request, spec.errors, endpointRunner(services, spec, request));
  };
  app.get("/oidc.ashx", legacy).post("/oidc.ashx", legacy);

  // The signed-in user's self-service API, for /account.html.
  for (const route of ACCOUNT_ROUTES) {
    app.route(route.method, route.path, ({ request, params: pathParams }: { request: Request; params?: Record<string, string> }) =>
      handleRequest(services, request, "json", async (context, url) => {
        const params = await readParams(request, url, services.config);
        const problem = findParamProblem(route.params, params);
        if (problem) throw new AccountError("invalid_input", `${problem.name} ${problem.problem}.`, 400);
        return route.handle(services, context, request.headers.get("authorization"), params, pathParams ?? {});
      }));
  }

  // The wallet's side of OpenID4VP (request_uri, response_uri) and the verifier API for relying parties,
  // which only a confidential client of the tenant may use.
  for (const route of VERIFIER_ROUTES) {
    app.route(route.method, route.path, ({ request, params: path }: { request: Request; params?: Record<string, string> }) =>
      handleRequest(services, request, "json", async (context, url) => {
        const params = await readParams(request, url, services.config);
        const problem = findParamProblem(route.params, params);
        if (problem) throw invalidParameter(problem);
        const client = route.clientAuthentication
          ? await requireConfidentialClient(services.store, context.tenant.host, context.issuer, request.headers.get("authorization"), params, "the verifier API")
          : null;
        return route.handle(services, context, params, path?.id ?? "", client);
      }));
  }

  // The admin API (admin/routes.ts), its generated OpenAPI document and its reference page, all public but the API itself.
  for (const route of ADMIN_ROUTES) {
    app.route(route.method, route.path, ({ request, params: path }: { request: Request; params?: Record<string, string> }) => serveAdminRoute(services, route, request, path ?? {}));
  }
  app.all(`${ADMIN_API_PREFIX}/*`, ({ request }) => adminFallback(services, ADMIN_ROUTES, request));
  const adminDocument = adminApiDocument();
  app.get(`${ADMIN_API_PREFIX}/openapi.json`, ({ request }) =>
    handleRequest(services, request, "json", async () => Response.json(adminDocument, { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" } })));
  const docsPage = adminDocsPage();
  app.get("/admin/api/docs", ({ request }) =>
    handleRequest(services, request, "page", async () => new Response(docsPage, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" } })));
  app.get("/admin/api/docs.css", ({ request }) =>
    handleRequest(services, request, "page", async () => new Response(ADMIN_DOCS_CSS, { headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300" } })));

  app.get("/*", ({ request }) =>
    handleRequest(services, request, "page", async (_context, url) => {
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
    return handleRequest(services, request, "json", async () => { throw error ?? new Error(`elysia ${String(code)}`); });
  });
  return app;
}
