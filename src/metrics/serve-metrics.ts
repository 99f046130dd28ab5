import type { Metrics } from "./metrics.ts";

/**
 * The metrics listener's one route: GET /metrics in Prometheus text format. It serves on its own
 * address (config metricsListen), so that it can stay on a private interface while the app is public.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export function metricsHandler(metrics: Metrics): (request: Request) => Promise<Response> {
  return async (request) => {
    const path = new URL(request.url, "http://invalid").pathname;
    if (path !== "/metrics") return new Response("Not found. Metrics are at /metrics.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("Use GET.\n", { status: 405, headers: { Allow: "GET, HEAD" } });
    const { body, contentType } = await metrics.render();
    return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  };
}
