export * from "./ports.ts";
export { openSqliteStore } from "./sqlite/index.ts";
export { openPostgresStore, type PostgresStore } from "./postgres/index.ts";
export { describeStore, isPostgresUrl, openStore, type StoreLocation } from "./open-store.ts";
export { BackupError, backupSqliteStore, inspectSqliteBackup, restoreSqliteStore } from "./sqlite/backup.ts";
