export * from "./ports.ts";
export { openSqliteStore } from "./sqlite/index.ts";
