export { AuditLog, type AuditEvent } from "./audit-log.ts";
export { readAuditTrail, type AuditEntry, type AuditQuery } from "./read-audit.ts";
