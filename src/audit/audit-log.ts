import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

export type AuditEvent =
  | "signin.success" | "signin.failure" | "signin.rate_limited" | "sso.reuse"
  | "code.issued" | "code.reused" | "token.issued" | "token.refreshed" | "refresh.reused"
  | "token.revoked" | "logout" | "keys.rotated" | "admin.change" | "setup.completed"
  | "recovery.sent" | "recovery.mail_failed" | "recovery.rate_limited" | "recovery.completed" | "recovery.failed"
  | "email_link.sent" | "email_link.mail_failed" | "email_link.rate_limited"
  | "second_factor.required" | "second_factor.failure" | "second_factor.locked" | "second_factor.email_code_sent" | "second_factor.email_code_failed" | "second_factor.email_code_rate_limited"
  | "totp.enrolled" | "totp.removed" | "recovery_codes.regenerated"
  | "passkey.signin_failure" | "passkey.registered" | "passkey.registration_failure" | "passkey.renamed" | "passkey.removed" | "signin.acr_unmet"
  | "wallet.started" | "wallet.request_fetched" | "wallet.verified" | "wallet.rejected" | "wallet.signup" | "wallet.linked" | "wallet.link_confirmed" | "wallet.link_declined"
  | "signin.throttled" | "second_factor.throttled" | "account.throttled" | "account.reauthentication_required" | "start.rate_limited" | "start.capped"
  | "trust_list.refreshed" | "trust_list.refresh_failed" | "trust_list.pointer_ignored";

/**
 * Append-only JSON lines, one file per tenant and UTC day:
 * DATA/tenants/<host>/audit/YYYY-MM-DD.jsonl. Lines are queued and appended in
 * order off the request path; callers never pass secrets, codes or hashes.
 */
export class AuditLog {
  private queue: { path: string; line: string }[] = [];
  private writing: Promise<void> | null = null;

  /** `observe` sees every event as it is recorded (metrics count them), without the audit log knowing what it feeds. */
  constructor(private readonly dataDir: string, private readonly observe?: (tenant: string, event: AuditEvent, fields: Record<string, unknown>) => void) {}

  record(tenant: string, event: AuditEvent, fields: Record<string, unknown> = {}): void {
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const path = join(this.dataDir, "tenants", tenant, "audit", `${day}.jsonl`);
    this.queue.push({ path, line: JSON.stringify({ time: now.toISOString(), tenant, event, ...fields }) + "\n" });
    this.writing ??= this.drain();
    this.observe?.(tenant, event, fields);
  }

  /** Resolves once every line recorded so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        const byPath = new Map<string, string>();
        for (const { path, line } of batch) byPath.set(path, (byPath.get(path) ?? "") + line);
        for (const [path, text] of byPath) {
          try {
            await appendFile(path, text, { mode: 0o600 });
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
            await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
            await appendFile(path, text, { mode: 0o600 });
          }
        }
      }
    } catch (error) {
      console.error(`audit log write failed: ${(error as Error).message}`);
    } finally {
      this.writing = null;
      if (this.queue.length > 0) this.writing = this.drain();
    }
  }
}
