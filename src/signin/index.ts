/** The sign-in page's API: what app.ts mounts. */
export { SIGNIN_ENDPOINTS } from "./routes.ts";
