export {
  addTenant, requireTenant, TenantInputError, smtpBinding, checkSmtpUrl, setTenantMail, setTenantOrigin, checkOrigin, checkRealm, type TenantMailChange,
} from "./manage-tenants.ts";
export { addUser, setUserPassword, disableUser, removeUser, resetUserTotp, type NewUser, type Ha1Sealer } from "./manage-users.ts";
export { requireUser, updateUser, enableUser, type UserChange } from "./edit-users.ts";
export { issueSetupToken, completeSetup } from "./first-admin.ts";
export { addClient, type NewClient } from "./manage-clients.ts";
export { requireClient, updateClient, rotateClientSecret, removeClient, checkRefreshTtl, type ClientChange } from "./edit-clients.ts";
export { setSignInMethods, setTenantSettings, type SignInMethodsChange, type TenantSettingsChange } from "./tenant-settings.ts";
export { ACCOUNT_CLIENT_ID, ACCOUNT_PAGE, ADMIN_CLIENT_ID, ADMIN_PAGE } from "./built-in-clients.ts";
