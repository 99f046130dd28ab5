/** The tenant's own account page signs in through OIDC like any relying party, as this built-in public client. */
export const ACCOUNT_CLIENT_ID = "sigil-account";
export const ACCOUNT_PAGE = "/account.html";
/** The admin console signs in the same way, as its own built-in public client: its tokens alone open the admin API to a user. */
export const ADMIN_CLIENT_ID = "sigil-admin";
export const ADMIN_PAGE = "/admin/";
/** Client IDs no operator may register, for they name the built-in clients. */
export const BUILT_IN_CLIENT_IDS: readonly string[] = [ACCOUNT_CLIENT_ID, ADMIN_CLIENT_ID];
