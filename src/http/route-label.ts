// The route a request matched, as its pattern (`/admin/api/v1/users/:username`, `/*`), never the
// raw path: logs and metrics labels then hold no user names, ids or tokens, and a metric's label
// values stay a small fixed set whatever clients send.

export interface RouteEntry {
  readonly method: string;
  readonly path: string;
}

/** The request methods a label may name; anything else is counted as OTHER. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export const methodLabel = (method: string): string => (METHODS.has(method) ? method : "OTHER");

/**
 * A function from (method, path) to the pattern of the route that serves it, as the router would
 * choose: an exact path first, then a path with parameters, then the longest wildcard; "unmatched" if none.
 */
export function routeLabeler(routes: readonly RouteEntry[]): (method: string, pathname: string) => string {
  const exact = new Map<string, string>();
  const patterns: { method: string; path: string; regex: RegExp; wildcard: boolean }[] = [];
  for (const route of routes) {
    if (!/[:*]/.test(route.path)) {
      exact.set(`${route.method} ${route.path}`, route.path);
      continue;
    }
    const source = route.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_][A-Za-z0-9_]*/g, "[^/]+").replace(/\*/g, ".*");
    patterns.push({ method: route.method, path: route.path, regex: new RegExp(`^${source}$`), wildcard: route.path.includes("*") });
  }
  // Parameters before wildcards, and among wildcards the longest prefix first: the more specific route wins.
  patterns.sort((a, b) => Number(a.wildcard) - Number(b.wildcard) || (a.wildcard ? b.path.length - a.path.length : 0));
  const serves = (routeMethod: string, method: string) => routeMethod === method || routeMethod === "ALL" || (method === "HEAD" && routeMethod === "GET");
  return (method, pathname) => {
    for (const candidate of [method, "ALL", ...(method === "HEAD" ? ["GET"] : [])]) {
      const hit = exact.get(`${candidate} ${pathname}`);
      if (hit) return hit;
    }
    return patterns.find((pattern) => serves(pattern.method, method) && pattern.regex.test(pathname))?.path ?? "unmatched";
  };
}
