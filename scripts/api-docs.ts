// Generates docs/api.json (OpenAPI 3.1) from the route tables themselves: every path, method,
// summary and parameter comes from the schemas http/ checks requests against, so the document
// cannot say what the code does not do. `bun scripts/api-docs.ts` writes it; `--check` fails when
// the committed copy is stale (scripts/api-docs.test.ts runs that in the suite).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACCOUNT_ROUTES } from "../src/account/index.ts";
import { ADMIN_ERROR_SCHEMA, adminApiPaths } from "../src/admin/index.ts";
import type { ParamSchema } from "../src/lib/params.ts";
import { ENDPOINT_PREFIX, OIDC_ENDPOINTS } from "../src/oidc/index.ts";
import { SIGNIN_ENDPOINTS } from "../src/signin/index.ts";
import { VERIFIER_ROUTES } from "../src/verifier/index.ts";

export const API_DOCS_PATH = join(import.meta.dir, "..", "docs", "api.json");

type Operation = { tags: string[]; summary: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown>; security?: unknown[] };
type Route = { tag: string; method: string; path: string; summary: string; params: ParamSchema; security?: unknown[] };

const ERROR = { $ref: "#/components/schemas/OAuthError" };
const ACCOUNT_ERROR = { $ref: "#/components/schemas/AccountError" };

/** The OpenAPI document, as a plain value (stable key order, so the file diffs cleanly). */
export function apiDocument(): Record<string, unknown> {
  const routes: Route[] = [
    ...OIDC_ENDPOINTS.flatMap((spec) => spec.methods.map((method) => ({ tag: "OpenID Connect", method, path: `${ENDPOINT_PREFIX}${spec.name}`, summary: spec.summary, params: spec.params }))),
    ...SIGNIN_ENDPOINTS.flatMap((spec) => spec.methods.map((method) => ({ tag: "Sign-in page", method, path: `${ENDPOINT_PREFIX}${spec.name}`, summary: spec.summary, params: spec.params }))),
    ...ACCOUNT_ROUTES.map((route) => ({ tag: "Account", method: route.method, path: openApiPath(route.path), summary: route.summary, params: route.params, security: [{ bearer: [] }] })),
    ...VERIFIER_ROUTES.map((route) => ({
      tag: route.clientAuthentication ? "Verifier API" : "Wallet", method: route.method, path: openApiPath(route.path), summary: route.summary, params: route.params,
      // client_secret_post (client_id and client_secret in the body) is declared among the parameters.
      ...(route.clientAuthentication ? { security: [{ clientSecretBasic: [] }] } : {}),
    })),
  ];
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  // The admin API's operations come from the same generator that serves /admin/api/v1/openapi.json (src/admin/openapi.ts).
  const adminPaths = adminApiPaths() as Record<string, Record<string, Operation>>;
  for (const methods of Object.values(adminPaths)) for (const admin of Object.values(methods)) admin.security = [{ adminBearer: [] }];
  Object.assign(paths, adminPaths);
  return {
    openapi: "3.1.0",
    info: { title: "Sigil", version: "1", description: "Generated from the route tables by scripts/api-docs.ts; every parameter is a string. Unknown parameters are ignored (RFC 6749 §3.1)." },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An access token Sigil issued to its account page" },
        clientSecretBasic: { type: "http", scheme: "basic", description: "client_id and client_secret (RFC 6749 §2.3.1)" },
        adminBearer: { type: "http", scheme: "bearer", description: "An access token of the admin console (sigil-admin) for an enabled admin, or a client_credentials token with scope sigil:admin" },
      },
      schemas: {
        OAuthError: { type: "object", required: ["error", "error_description"], properties: { error: { type: "string" }, error_description: { type: "string" } } },
        AdminError: ADMIN_ERROR_SCHEMA,
        AccountError: { type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } } } },
      },
    },
  };
}

function operation(route: Route): Operation {
  const schema = JSON.parse(JSON.stringify(route.params)) as ParamSchema;
  const pathNames = [...route.path.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1]!);
  const pathParameters = pathNames.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  const inQuery = route.method === "GET" || route.method === "DELETE";
  const required = new Set(schema.required ?? []);
  const queryParameters = inQuery
    ? Object.entries(schema.properties).map(([name, property]) => ({ name, in: "query", required: required.has(name), schema: property }))
    : [];
  const parameters = [...pathParameters, ...queryParameters];
  const errorBody = route.tag === "Account" ? ACCOUNT_ERROR : ERROR;
  return {
    tags: [route.tag],
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(!inQuery && Object.keys(schema.properties).length > 0
      ? { requestBody: { content: { "application/x-www-form-urlencoded": { schema }, "application/json": { schema } } } }
      : {}),
    responses: {
      "200": { description: "Success (some create with 201, some answer 202 while waiting, or redirect with 302/303)" },
      "400": { description: "A parameter is missing or refused", content: { "application/json": { schema: errorBody } } },
    },
    ...(route.security ? { security: route.security } : {}),
  };
}

const openApiPath = (elysiaPath: string) => elysiaPath.replace(/:([a-z_]+)/g, "{$1}");

export const renderApiDocs = () => `${JSON.stringify(apiDocument(), null, 2)}\n`;

if (import.meta.main) {
  const text = renderApiDocs();
  if (process.argv.includes("--check")) {
    const current = readFileSync(API_DOCS_PATH, "utf8");
    if (current !== text) {
      console.error("docs/api.json is stale: run `bun scripts/api-docs.ts`");
      process.exit(1);
    }
  } else {
    writeFileSync(API_DOCS_PATH, text);
    console.log(`wrote ${API_DOCS_PATH}`);
  }
}
