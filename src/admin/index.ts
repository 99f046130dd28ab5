/** What other layers may import from the admin API. */
export { ADMIN_ROUTES, ADMIN_API_PREFIX, type AdminRoute, type AdminInput } from "./routes.ts";
export { AdminError, toAdminError, type AdminErrorCode } from "./admin-error.ts";
export { requireAdmin, ADMIN_SCOPE, type AdminPrincipal } from "./admin-session.ts";
export { adminApiDocument, adminApiPaths, ADMIN_ERROR_SCHEMA } from "./openapi.ts";
export { adminDocsPage, ADMIN_DOCS_CSS } from "./docs-page.ts";
