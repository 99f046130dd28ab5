// Liveness and readiness for load balancers and orchestrators: answered before tenant resolution,
// on every Host, with no authentication, so that a probe needs no tenant and learns nothing of one.
import type { Store } from "../store/index.ts";
import type { Logger } from "./log.ts";

/** A store that does not answer within this long is not ready: a probe must not hang with it. */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: the process is up and serving (200). `/readyz`: the store answers and holds the
 * schema this Sigil expects (200), else 503 with a fixed reason; the raw cause goes to the log only,
 * since a probe is unauthenticated. Null for any other request.
 */
export async function answerHealth(method: string, pathname: string, store: Store, logger: Logger): Promise<Response | null> {
  if (method !== "GET" && method !== "HEAD") return null;
  if (pathname === "/healthz") return healthJson(200, { status: "ok" });
  if (pathname !== "/readyz") return null;
  const problem = await withTimeout(store.readiness(), READINESS_TIMEOUT_MS).catch((error: unknown) => {
    logger.log("warn", "readiness check failed", { error: error instanceof Error ? error.message : String(error) });
    return "the store did not answer";
  });
  return problem === null ? healthJson(200, { status: "ready" }) : healthJson(503, { status: "unavailable", reason: problem });
}

const healthJson = (status: number, body: Record<string, string>) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
