export { addTenant, requireTenant, TenantInputError } from "./manage-tenants.ts";
export { addUser, setUserPassword, disableUser, removeUser, resetUserTotp, type NewUser } from "./manage-users.ts";
export { issueSetupToken, completeSetup } from "./first-admin.ts";
