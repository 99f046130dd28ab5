/**
 * Keeps each subscribed trusted list's verified anchors current: a list is fetched and verified
 * again when it has never been verified, an hour after its last verified copy (a withdrawal should
 * not wait for NextUpdate), or when its NextUpdate is near; a failed attempt is retried after five
 * minutes. A failure keeps the previous verified copy, which the trust store uses only until its
 * own NextUpdate (trusted-list-anchors.ts). Every refresh, failure and ignored pointer is audited.
 */
import type { AuditLog } from "../audit/index.ts";
import type { Config } from "../config/index.ts";
import { nowSeconds } from "../lib/time.ts";
import type { ListFetcher } from "../oid4vp/trusted-lists/fetch-list.ts";
import type { ServiceTypeName } from "../oid4vp/trusted-lists/service-types.ts";
import type { Store, TrustedListRecord } from "../store/index.ts";

const REFRESH_AFTER = 3600;
const RETRY_AFTER = 300;
/** Refresh this long before NextUpdate, so that trust does not lapse between two timer ticks. */
const BEFORE_NEXT_UPDATE = 900;
const TICK_MS = 60_000;

type Audit = Pick<AuditLog, "record">;

export function isDue(record: TrustedListRecord, now: number): boolean {
  if (record.lastError !== null && record.attemptedAt !== null && now < record.attemptedAt + RETRY_AFTER) return false;
  if (record.anchorsJson === null || record.refreshedAt === null || record.nextUpdate === null) return true;
  return now >= record.refreshedAt + REFRESH_AFTER || now >= record.nextUpdate - BEFORE_NEXT_UPDATE;
}

export class TrustedListRefresher {
  private readonly running = new Map<string, Promise<boolean>>();
  private fetcher: ListFetcher | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly store: Store, private readonly config: Pick<Config, "allowHttpFetch" | "allowPrivateFetch">, private readonly audit: Audit, private readonly fetchOverride?: ListFetcher) {}

  /** Refreshes every tenant's due lists now, then every minute; the timer never holds the process open. */
  start(): void {
    void this.refreshDue();
    this.timer = setInterval(() => void this.refreshDue(), TICK_MS);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async refreshDue(now = nowSeconds()): Promise<void> {
    try {
      for (const record of await this.store.trustedLists.all()) if (isDue(record, now)) await this.refresh(record, now);
    } catch (error) {
      console.error(`trusted list refresh failed: ${(error as Error).message}`);
    }
  }

  /** One attempt at a time per list; true when a verified copy was saved. */
  refresh(record: TrustedListRecord, now = nowSeconds()): Promise<boolean> {
    const key = `${record.tenant}/${record.id}`;
    const running = this.running.get(key);
    if (running) return running;
    const attempt = this.attempt(record, now).finally(() => this.running.delete(key));
    this.running.set(key, attempt);
    return attempt;
  }

  private async attempt(record: TrustedListRecord, now: number): Promise<boolean> {
    // The XML signature library loads only where lists are used.
    const { createListFetcher, loadTrustedList } = await import("../oid4vp/trusted-lists/index.ts");
    this.fetcher ??= this.fetchOverride ?? createListFetcher({ allowHttp: this.config.allowHttpFetch, allowPrivateAddresses: this.config.allowPrivateFetch });
    const list = record.url ?? "(file)";
    try {
      const loaded = await loadTrustedList({
        url: record.url, document: record.document, signerPems: [record.signerPems], serviceType: record.serviceType as ServiceTypeName,
      }, this.fetcher, now);
      await this.store.trustedLists.saveVerified(record.tenant, record.id, { anchorsJson: JSON.stringify(loaded.anchors), issuedAt: loaded.issuedAt, nextUpdate: loaded.nextUpdate, at: now });
      for (const reason of loaded.ignored) this.audit.record(record.tenant, "trust_list.pointer_ignored", { list_id: record.id, list, reason });
      this.audit.record(record.tenant, "trust_list.refreshed", { list_id: record.id, list, anchors: loaded.anchors.length, next_update: loaded.nextUpdate });
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.store.trustedLists.saveFailure(record.tenant, record.id, reason, now);
      const keptUntil = record.anchorsJson !== null && record.nextUpdate !== null && record.nextUpdate > now ? record.nextUpdate : null;
      this.audit.record(record.tenant, "trust_list.refresh_failed", { list_id: record.id, list, reason, previous_copy_until: keptUntil });
      return false;
    }
  }
}
