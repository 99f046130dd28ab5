export { AccountError } from "./account-error.ts";
export { ACCOUNT_ROUTES, type AccountRoute } from "./routes.ts";
export { requireAccountSession } from "./account-session.ts";
