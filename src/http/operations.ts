// The operator's view of every request, around the whole app: a request id on every response,
// /healthz and /readyz before any tenant is looked up, one log line per request, and the
// observation metrics count. Whatever the app throws past its own error handling ends here as
// a server_error with the request id, never as the runtime's default page.
import type { Config } from "../config/index.ts";
import { peerAddress } from "../runtime/serve.ts";
import type { Store } from "../store/index.ts";
import { clientAddress } from "./client-address.ts";
import { answerHealth } from "./health.ts";
import type { Logger } from "./log.ts";
import { renderError } from "./render-error.ts";
import { assignRequestId, noteOf } from "./request-notes.ts";
import { methodLabel, routeLabeler, type RouteEntry } from "./route-label.ts";
import { applySecurityHeaders } from "./security-headers.ts";

/** One finished request, as metrics count it: labels from fixed sets, and how long it took. */
export interface RequestObservation {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
}

export interface OperationsOptions {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** The app's routes (Elysia's `app.routes`), to name each request by its pattern. */
  readonly routes: readonly RouteEntry[];
  readonly observe?: (observation: RequestObservation) => void;
}

type FetchHandler = (request: Request) => Response | Promise<Response>;

export function withOperations(handler: FetchHandler, options: OperationsOptions): (request: Request) => Promise<Response> {
  const routeOf = routeLabeler(options.routes);
  return async (request) => {
    const started = performance.now();
    const trusted = clientAddress(request.headers.get("x-forwarded-for"), peerAddress(request), options.config.trustProxy).forwardedTrusted;
    const id = assignRequestId(request, trusted);
    const method = methodLabel(request.method);
    const pathname = pathOf(request);
    let route: string;
    let response: Response;
    const health = await answerHealth(request.method, pathname, options.store, options.logger);
    if (health) {
      route = pathname;
      response = applySecurityHeaders(health, false);
    } else {
      route = routeOf(method, pathname);
      try {
        response = await handler(request);
      } catch (error) {
        response = applySecurityHeaders(renderError(error, "json", { requestId: id, logger: options.logger }), false);
      }
    }
    response = withHeader(response, "X-Request-Id", id);
    const seconds = (performance.now() - started) / 1000;
    const note = noteOf(request);
    options.logger.log(note.problem ? "warn" : "info", "request", {
      request_id: id, tenant: note.tenant ?? "-", method, route, status: response.status, duration_ms: Math.round(seconds * 10_000) / 10,
      ...(note.problem ? { problem: note.problem } : {}),
    });
    options.observe?.({ method, route, status: response.status, seconds });
    return response;
  };
}

/** The path alone; a request whose URL the runtime left relative (a Host that is no host name) still has one. */
function pathOf(request: Request): string {
  try {
    return new URL(request.url, "http://invalid").pathname;
  } catch {
    return "/";
  }
}

/** Sets a header even on a response whose headers are immutable (one passed through from fetch). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
