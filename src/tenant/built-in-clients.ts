/** The tenant's own account page signs in through OIDC like any relying party, as this built-in public client. */
export const ACCOUNT_CLIENT_ID = "sigil-account";
export const ACCOUNT_PAGE = "/account.html";
