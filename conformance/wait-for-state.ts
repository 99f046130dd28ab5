// How the runner learns that a suite module reached a state, after the suite's own client
// (scripts/conformance.py: wait_for_state, _get_persisted_status) and the endpoint it calls
// (src/main/java/net/openid/conformance/runner/TestRunner.java: waitForState). Shapes:
// - GET /api/runner/{id}/wait-state?states=A,B&timeoutMs=N holds the request until the module's
//   status is in `states`, then 200 {"state": "<STATUS>"}; after N ms (clamped to 1..30000)
//   200 {"timeout": true}; a module the in-memory runner does not hold (unknown, not the
//   token's, or lost in a restart) 404 {"error": "test not found"}. No `status` field, ever.
// - Servers older than the endpoint (suite commit f84a95da2, 2026-05-31) answer the path with
//   their error controller (errorhandling/FAPIErrorController.java): 404 with Spring's error
//   attributes {"timestamp", "status": 404, "error": "Not Found", "path"}. There the status is
//   read from GET /api/info/{id} (`status`) once a second, as conformance.py did before fb17497b7.
// - GET /api/info/{id} reads the persisted test info, which outlives the in-memory runner; 404
//   when there is none.

export type ModuleStatus = "NOT_YET_CREATED" | "CREATED" | "CONFIGURED" | "WAITING" | "RUNNING" | "FINISHED" | "INTERRUPTED";

/** One GET to the suite's API: the HTTP status and the parsed JSON body (null when not JSON). */
export type SuiteGet = (path: string, query: Record<string, string>, requestTimeoutMs: number) => Promise<{ status: number; body: unknown }>;

export interface PollingOptions {
  /** The least time between two status requests for one module; the suite's client uses 1 s. */
  pollIntervalMs: number;
  /** The server-side budget asked for each long-poll; the suite clamps it to 30 s. */
  longPollMs: number;
}

export const DEFAULT_POLLING: PollingOptions = { pollIntervalMs: 1000, longPollMs: 30_000 };

/** What the runner remembers about the server across modules. */
export interface ServerCapabilities {
  waitState: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves with the first of `wanted` the module reaches, or with INTERRUPTED (always asked
 * for, as conformance.py does, so an interrupted module releases the long-poll at once).
 * Throws a one-line error when the deadline passes, the suite does not know the module, the
 * module finished without reaching `wanted`, or the suite lost it while it was running.
 */
export async function waitForState(get: SuiteGet, server: ServerCapabilities, moduleId: string, wanted: ModuleStatus[], timeoutMs: number, polling: PollingOptions): Promise<ModuleStatus> {
  const states: string[] = [...new Set<string>([...wanted, "INTERRUPTED"])];
  const deadline = Date.now() + timeoutMs;
  let lastAsked = Number.NEGATIVE_INFINITY;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`module ${moduleId} did not reach ${wanted.join("/")} within ${timeoutMs} ms`);
    // Never two requests closer than the interval: a long-poll answered at once, by a proxy or
    // a server that ignores timeoutMs, must not turn this loop into a flood.
    const pause = lastAsked + polling.pollIntervalMs - Date.now();
    if (pause > 0) {
      await sleep(Math.min(pause, remaining));
      continue;
    }
    lastAsked = Date.now();
    let persisted: string | null;
    if (server.waitState) {
      const budget = Math.max(1, Math.min(Math.floor(remaining), polling.longPollMs, 30_000));
      // The request itself may take the whole budget; give the transport 10 s more, as conformance.py does.
      const { status, body } = await get(`runner/${moduleId}/wait-state`, { states: states.join(","), timeoutMs: String(budget) }, budget + 10_000);
      if (status === 200) {
        const answer = (body ?? {}) as { state?: unknown; timeout?: unknown };
        if (typeof answer.state === "string" && states.includes(answer.state)) return answer.state as ModuleStatus;
        continue; // {"timeout": true}, or an answer this client does not understand: ask again after the pause
      }
      if (status !== 404) throw new Error(`wait-state for module ${moduleId} answered HTTP ${status}`);
      // Only the endpoint itself says "test not found"; any other 404 means the route is missing.
      const routeExists = (body as { error?: unknown } | null)?.error === "test not found";
      persisted = await persistedStatus(get, moduleId);
      if (!routeExists && persisted !== null) server.waitState = false;
      if (routeExists && persisted !== null && persisted !== "FINISHED" && persisted !== "INTERRUPTED") {
        // The runner dropped a module that had not ended: the suite restarted, and nothing can
        // drive that module forward any more, even if its last status is one we wait for.
        throw new Error(`the suite no longer runs module ${moduleId} (its last status was ${persisted}; did the suite restart?)`);
      }
    } else {
      persisted = await persistedStatus(get, moduleId);
    }
    if (persisted === null) throw new Error(`the suite does not know module ${moduleId} (wrong id, or another user's token)`);
    if (states.includes(persisted)) return persisted as ModuleStatus;
    if (persisted === "FINISHED") throw new Error(`module ${moduleId} finished without reaching ${wanted.join("/")}`);
  }
}

async function persistedStatus(get: SuiteGet, moduleId: string): Promise<string | null> {
  const { status, body } = await get(`info/${moduleId}`, {}, 30_000);
  if (status === 404) return null;
  if (status !== 200) throw new Error(`info for module ${moduleId} answered HTTP ${status}`);
  const value = (body as { status?: unknown } | null)?.status;
  if (typeof value !== "string") throw new Error(`info for module ${moduleId} has no status`);
  return value;
}
