export { Keyring, type ActiveSigningKey } from "./keyring.ts";
export { loadMasterSecret } from "./master-key.ts";
