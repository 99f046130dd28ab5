// Sigil's Prometheus metrics, in a registry of their own (prom-client). Fed from where the events
// already happen: the operations wrapper (http/operations.ts) for requests, the audit log's record
// path for sign-ins, tokens and wallet presentations, and the timed store for store latency. Only
// this folder imports prom-client; no domain knows metrics exist.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AuditEvent } from "../audit/index.ts";
import { auditMetric } from "./audit-metric.ts";

export interface Metrics {
  observeRequest(observation: { method: string; route: string; status: number; seconds: number }): void;
  /** Fed by the audit log with every event it records (audit-metric.ts maps the ones counted). */
  observeAudit(tenant: string, event: AuditEvent, fields: Record<string, unknown>): void;
  observeStore(operation: string, seconds: number): void;
  /** The exposition: Prometheus text format 0.0.4. */
  render(): Promise<{ body: string; contentType: string }>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: "sigil_http_requests_total", help: "HTTP requests by method, route pattern and status.", labelNames: ["method", "route", "status"], registers });
  const latency = new Histogram({
    name: "sigil_http_request_duration_seconds", help: "Time from request to response headers, by method and route pattern.",
    labelNames: ["method", "route"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
  });
  const signIns = new Counter({ name: "sigil_signins_total", help: "Sign-in attempts by tenant, method and result.", labelNames: ["tenant", "method", "result"], registers });
  const tokens = new Counter({ name: "sigil_tokens_issued_total", help: "Tokens issued at the token endpoint, by grant.", labelNames: ["grant"], registers });
  const presentations = new Counter({
    name: "sigil_wallet_presentations_total", help: "Wallet presentations by result, and for a rejected one the check that failed.", labelNames: ["result", "check"], registers,
  });
  const store = new Histogram({
    name: "sigil_store_operation_duration_seconds", help: "Store calls by port and method.", labelNames: ["operation"],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], registers,
  });
  // process.memoryUsage() exists on Bun and Deno alike, unlike the /proc readers of prom-client's default metrics.
  new Gauge({ name: "process_resident_memory_bytes", help: "Resident memory size in bytes.", registers, collect() { this.set(process.memoryUsage().rss); } });
  new Gauge({
    name: "sigil_process_heap_bytes", help: "JavaScript heap in bytes, used and total.", labelNames: ["kind"], registers,
    collect() {
      const usage = process.memoryUsage();
      this.set({ kind: "used" }, usage.heapUsed);
      this.set({ kind: "total" }, usage.heapTotal);
    },
  });

  return {
    observeRequest({ method, route, status, seconds }) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    observeAudit(tenant, event, fields) {
      const metric = auditMetric(event, fields);
      if (!metric) return;
      if (metric.kind === "signin") signIns.inc({ tenant, method: metric.method, result: metric.result });
      else if (metric.kind === "token") tokens.inc({ grant: metric.grant });
      else presentations.inc({ result: metric.result, check: metric.check });
    },
    observeStore(operation, seconds) {
      store.observe({ operation }, seconds);
    },
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
