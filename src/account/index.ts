export { AccountError } from "./account-error.ts";
export { profile } from "./profile.ts";
export { requireAccountSession } from "./account-session.ts";
