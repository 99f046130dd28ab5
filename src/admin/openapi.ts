// The admin API's OpenAPI 3.1 description, generated from ADMIN_ROUTES: every path, method,
// summary, parameter and body comes from the schemas http/ checks requests against, so the
// document cannot say what the code does not do. Served at /admin/api/v1/openapi.json and merged
// into docs/api.json by scripts/api-docs.ts.
import type { ParamSchema } from "../lib/params.ts";
import { ADMIN_API_PREFIX, ADMIN_ROUTES, type AdminRoute } from "./routes.ts";

export const ADMIN_ERROR_SCHEMA = {
  type: "object", required: ["error", "message"],
  properties: {
    error: { type: "string", enum: ["unauthenticated", "forbidden", "insufficient_scope", "not_found", "method_not_allowed", "invalid_input", "conflict", "payload_too_large"] },
    message: { type: "string" },
    field: { type: "string", description: "the body member, query parameter or path segment at fault" },
  },
};

const ERROR = { $ref: "#/components/schemas/AdminError" };
const SUCCESS: Record<number, string> = { 200: "Done", 201: "Created", 202: "Accepted (mail is on its way)", 204: "Done; no content" };

/** The admin API's paths, in OpenAPI form; the schemas' references point at components named AdminError. */
export function adminApiPaths(): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ADMIN_ROUTES) (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(route);
  return paths;
}

/** The whole document, as served at /admin/api/v1/openapi.json. */
export function adminApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Sigil admin API", version: "1",
      description: "Per tenant, under the tenant's own origin. Authorised by an access token Sigil issued to its admin console (sigil-admin) for an enabled admin, " +
        "or a client_credentials token carrying sigil:admin. Tokens issued to any other client are refused. Generated from the route tables (src/admin/routes.ts).",
    },
    paths: adminApiPaths(),
    components: {
      securitySchemes: { adminBearer: { type: "http", scheme: "bearer", description: "An access token of the admin console (sigil-admin) or with scope sigil:admin" } },
      schemas: { AdminError: ADMIN_ERROR_SCHEMA },
    },
    security: [{ adminBearer: [] }],
  };
}

function operation(route: AdminRoute): Record<string, unknown> {
  const pathNames = [...route.path.matchAll(/:([a-z_]+)/g)].map((match) => match[1]!);
  const query = route.query ? copy(route.query) : null;
  const required = new Set(query?.required ?? []);
  const parameters = [
    ...pathNames.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...(query ? Object.entries(query.properties).map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema })) : []),
  ];
  const responses: Record<string, unknown> = {
    [String(route.status)]: { description: SUCCESS[route.status] ?? "Done", ...(route.status === 204 ? {} : { content: { "application/json": { schema: { type: "object" } } } }) },
    "401": errorResponse("No token, or one that is invalid, expired, revoked or another tenant's"),
    "403": errorResponse("The token is not an admin's (another client's token, a user who is not an admin, a client token without sigil:admin)"),
  };
  if (query || route.body) responses["400"] = errorResponse("Invalid input; field names it");
  if (pathNames.length > 0) responses["404"] = errorResponse("No such resource");
  if (route.method !== "GET") responses["409"] = errorResponse("Conflicts with what exists (a duplicate, the last admin, a realm fixed by its users)");
  return {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.slice(ADMIN_API_PREFIX.length).replace(/\/:?([a-z_-]+)/g, (_m, word: string) => word.charAt(0).toUpperCase() + word.slice(1).replace(/[-_]([a-z])/g, (_x, c: string) => c.toUpperCase()))}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: copy(route.body) } } } } : {}),
    responses,
  };
}

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ERROR } } });

/** A plain JSON copy of a TypeBox schema (its symbol-keyed members are for TypeBox alone). */
const copy = (schema: ParamSchema): ParamSchema => JSON.parse(JSON.stringify(schema)) as ParamSchema;

const openApiPath = (elysiaPath: string) => elysiaPath.replace(/:([a-z_]+)/g, "{$1}");
