// The OpenID Foundation conformance suite's REST API, as its own runner drives it
// (scripts/conformance.py in openid-certification/conformance-suite): plans, module
// runs, states, results, logs and exports. Nothing here knows about Sigil.
import { DEFAULT_POLLING, waitForState, type ModuleStatus, type PollingOptions, type ServerCapabilities } from "./wait-for-state.ts";

export type { ModuleStatus } from "./wait-for-state.ts";
export type ModuleResult = "PASSED" | "FAILED" | "WARNING" | "REVIEW" | "SKIPPED" | "UNKNOWN";

export interface PlanModule {
  testModule: string;
  variant?: Record<string, string>;
}

export interface LogEntry {
  src?: string;
  result?: string;
  msg?: string;
  blockId?: string;
}

export class SuiteApi {
  private readonly base: string;
  private readonly polling: PollingOptions;
  // Learnt from the first wait: an older server has no wait-state route.
  private readonly server: ServerCapabilities = { waitState: true };

  constructor(base: string, private readonly token: string | null, polling: Partial<PollingOptions> = {}) {
    this.base = base.replace(/\/+$/, "");
    this.polling = { ...DEFAULT_POLLING, ...polling };
  }

  private async call(method: "GET" | "POST", path: string, query: Record<string, string> = {}, body?: string, expect = [200], requestTimeoutMs = 30_000): Promise<Response> {
    const url = new URL(`${this.base}/api/${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let lastError = "";
    // Like the suite's runner: retry transport failures and 5xx a few times.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 1) await Bun.sleep(1000);
      try {
        const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(requestTimeoutMs) });
        if (response.status >= 500) {
          lastError = `HTTP ${response.status}`;
          continue;
        }
        if (response.status === 401) throw new Error(`${method} ${path} answered 401: the suite refused CONFORMANCE_TOKEN`);
        if (!expect.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${oneLine(await response.text())}`);
        return response;
      } catch (error) {
        if ((error as Error).message.includes(" answered ")) throw error;
        lastError = (error as Error).message;
      }
    }
    throw new Error(`${method} ${path} failed: ${lastError}`);
  }

  /** The suite is up and accepts this token. */
  async ready(): Promise<void> {
    await this.call("GET", "runner/available");
  }

  async createPlan(planName: string, variant: Record<string, string> | undefined, config: unknown): Promise<{ id: string; modules: PlanModule[] }> {
    const query: Record<string, string> = { planName };
    if (variant) query.variant = JSON.stringify(variant);
    const response = await this.call("POST", "plan", query, JSON.stringify(config), [201]);
    return (await response.json()) as { id: string; modules: PlanModule[] };
  }

  async createModule(planId: string, module: PlanModule): Promise<string> {
    const query: Record<string, string> = { test: module.testModule, plan: planId };
    if (module.variant) query.variant = JSON.stringify(module.variant);
    const response = await this.call("POST", "runner", query, undefined, [201]);
    return ((await response.json()) as { id: string }).id;
  }

  async start(moduleId: string): Promise<void> {
    await this.call("POST", `runner/${moduleId}`);
  }

  async info(moduleId: string): Promise<{ status: ModuleStatus; result?: ModuleResult }> {
    return (await (await this.call("GET", `info/${moduleId}`)).json()) as { status: ModuleStatus; result?: ModuleResult };
  }

  async log(moduleId: string): Promise<LogEntry[]> {
    return (await (await this.call("GET", `log/${moduleId}`)).json()) as LogEntry[];
  }

  /** Waits until the module reaches one of `states` (or INTERRUPTED); see wait-for-state.ts. */
  async waitFor(moduleId: string, states: ModuleStatus[], timeoutMs: number): Promise<ModuleStatus> {
    const get = async (path: string, query: Record<string, string>, requestTimeoutMs: number) => {
      const response = await this.call("GET", path, query, undefined, [200, 404], requestTimeoutMs);
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Spring answers some 404s with an empty body or an HTML page: no JSON to read.
      }
      return { status: response.status, body };
    };
    return waitForState(get, this.server, moduleId, states, timeoutMs, this.polling);
  }

  async exportHtml(planId: string): Promise<{ name: string; bytes: Uint8Array }> {
    const response = await this.call("GET", `plan/exporthtml/${planId}`);
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${planId}.zip`;
    return { name: name.replace(/[^A-Za-z0-9._-]/g, "_"), bytes: new Uint8Array(await response.arrayBuffer()) };
  }
}

/** A server's error body (an HTML page, a stack trace) as one short line for the runner's report. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
