import { ADMIN_API_PREFIX, AdminError, requireAdmin, toAdminError, type AdminRoute } from "../admin/index.ts";
import type { Config } from "../config/index.ts";
import type { Services } from "../context/index.ts";
import { Params } from "../lib/params.ts";
import { findBodyProblem } from "./check-body.ts";
import { findParamProblem } from "./check-params.ts";
import { handleRequest } from "./handle.ts";
import { readBodyWithin } from "./read-params.ts";

/**
 * One admin API request: the tenant, then the admin (before anything of the request is read, so
 * an unauthorised caller learns nothing from validation), then the query, the path and the JSON
 * body against the route's schemas, then the handler. Failures are the admin API's JSON errors.
 */
export function serveAdminRoute(services: Services, route: AdminRoute, request: Request, pathParams: Record<string, string>): Promise<Response> {
  return handleRequest(services, request, "json", async (context, url) => {
    try {
      const admin = await requireAdmin(services, context, request.headers.get("authorization"));
      for (const [name, value] of Object.entries(pathParams)) {
        if (value.length === 0 || value.length > 512) throw new AdminError("not_found", `There is no such ${name}.`, 404, name);
      }
      const query = Params.fromSearch(url.searchParams);
      if (route.query) {
        const problem = findParamProblem(route.query, query);
        if (problem) throw new AdminError("invalid_input", `${problem.name} ${problem.problem}.`, 400, problem.name);
        const repeated = query.repeatedAmong(Object.keys(route.query.properties));
        if (repeated.length > 0) throw new AdminError("invalid_input", `${repeated[0]} is given more than once.`, 400, repeated[0]);
      }
      const body = route.body ? await readJsonBody(request, url, services.config, route) : {};
      return await route.handle(services, context, admin, { query, body, path: pathParams });
    } catch (error) {
      throw toAdminError(error);
    }
  });
}

async function readJsonBody(request: Request, url: URL, config: Config, route: AdminRoute): Promise<Record<string, unknown>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > config.maxBodyBytes) throw new AdminError("payload_too_large", `The request body is larger than ${config.maxBodyBytes} bytes.`, 413);
  const text = await readBodyWithin(request, url, config);
  if (text.length > 0 && type !== "application/json") throw new AdminError("invalid_input", "The body must be application/json.", 400, "body");
  let body: unknown = {};
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AdminError("invalid_input", "The body is not valid JSON.", 400, "body");
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AdminError("invalid_input", "The body must be a JSON object.", 400, "body");
  const problem = findBodyProblem(route.body!, body);
  if (problem) throw new AdminError("invalid_input", `${problem.field}: ${problem.problem}.`, 400, problem.field);
  return body as Record<string, unknown>;
}

/** An admin API path no route answers: 405 with Allow where the path exists for other methods, else 404. */
export function adminFallback(services: Services, routes: readonly AdminRoute[], request: Request): Promise<Response> {
  return handleRequest(services, request, "json", async (_context, url) => {
    const allowed = routes.filter((route) => pathPattern(route.path).test(url.pathname)).map((route) => route.method);
    if (allowed.length > 0) {
      const error = new AdminError("method_not_allowed", `Use ${allowed.join(" or ")}.`, 405);
      return Response.json(error.toJSON(), { status: 405, headers: { Allow: allowed.join(", "), "Cache-Control": "no-store" } });
    }
    throw new AdminError("not_found", `There is no such endpoint under ${ADMIN_API_PREFIX}.`, 404);
  });
}

const pathPattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[a-z_]+/g, "[^/]+")}/?$`);
