export type { Services, RequestContext } from "./context.ts";
export { ENDPOINT_PREFIX } from "./endpoints.ts";
export { providerMetadata } from "./discovery.ts";
export { verifyAccessToken, type AccessTokenClaims } from "./access-token.ts";
export { ACCOUNT_CLIENT_ID } from "./find-client.ts";
export { addClient, type NewClient } from "./manage-clients.ts";
export { OIDC_ENDPOINTS, type EndpointSpec, type ErrorStyle } from "./routes.ts";
export { serveRequestObject, acceptWalletResponse } from "./wallet-endpoints.ts";
export { createPresentation, readPresentation } from "./presentations-api.ts";
