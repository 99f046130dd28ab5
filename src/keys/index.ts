export { Keyring, type ActiveSigningKey } from "./keyring.ts";
export { loadMasterSecret } from "./master-key.ts";
export { convertLegacySecrets } from "./convert-legacy-secrets.ts";
export type { Ha1Owner } from "./user-secrets.ts";
