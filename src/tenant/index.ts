export { addTenant, requireTenant, TenantInputError, smtpBinding, checkSmtpUrl, setTenantMail, type TenantMailChange } from "./manage-tenants.ts";
export { addUser, setUserPassword, disableUser, removeUser, resetUserTotp, type NewUser } from "./manage-users.ts";
export { issueSetupToken, completeSetup } from "./first-admin.ts";
