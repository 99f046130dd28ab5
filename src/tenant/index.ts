export {
  addTenant, requireTenant, TenantInputError, smtpBinding, checkSmtpUrl, setTenantMail, setTenantOrigin, checkOrigin, type TenantMailChange,
} from "./manage-tenants.ts";
export { addUser, setUserPassword, disableUser, removeUser, resetUserTotp, type NewUser, type Ha1Sealer } from "./manage-users.ts";
export { issueSetupToken, completeSetup } from "./first-admin.ts";
export { addClient, type NewClient } from "./manage-clients.ts";
export { ACCOUNT_CLIENT_ID, ACCOUNT_PAGE } from "./built-in-clients.ts";
