export { ENDPOINT_PREFIX } from "./endpoints.ts";
export { providerMetadata } from "./discovery.ts";
export { verifyAccessToken, type AccessTokenClaims } from "./access-token.ts";

export { OIDC_ENDPOINTS } from "./routes.ts";
export { requireConfidentialClient } from "./client-authentication.ts";
