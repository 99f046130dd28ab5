export type { Config, LogFormat, LogLevel, TrustProxy } from "./schema.ts";
export { DEFAULTS, ENVIRONMENT_NAMES } from "./schema.ts";
export { loadConfig, ConfigError } from "./load-config.ts";
