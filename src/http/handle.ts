import type { EndpointSpec, ErrorStyle, RequestContext, Services } from "../context/index.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import { peerAddress } from "../runtime/serve.ts";
import { findParamProblem, type ParamProblem } from "./check-params.ts";
import { clientAddress } from "./client-address.ts";
import { readParams } from "./read-params.ts";
import { loggerFor } from "./log.ts";
import { renderError } from "./render-error.ts";
import { noteOf } from "./request-notes.ts";
import { resolveTenant } from "./resolve-tenant.ts";
import { applySecurityHeaders } from "./security-headers.ts";

/**
 * Runs one request through the shared pipeline: tenant resolution, then the
 * handler, then security headers; any failure rendered in the endpoint's error style.
 */
export async function handleRequest(
  services: Services,
  request: Request,
  errors: ErrorStyle,
  run: (context: RequestContext, url: URL) => Promise<Response>,
): Promise<Response> {
  let response: Response;
  let overTls = false;
  try {
    const url = requestUrl(request);
    const client = clientAddress(request.headers.get("x-forwarded-for"), peerAddress(request), services.config.trustProxy);
    const { tenant, issuer } = await resolveTenant(services.store, request, client.forwardedTrusted);
    noteOf(request).tenant = tenant.host;
    overTls = issuer.startsWith("https:");
    const accept = request.headers.get("accept") ?? "";
    const context: RequestContext = {
      tenant,
      issuer,
      ip: client.ip,
      wantsJson: accept.includes("application/json"),
    };
    response = await run(context, url);
  } catch (error) {
    response = renderError(error, errors === "page" && prefersJson(request) ? "json" : errors, { requestId: noteOf(request).id, logger: loggerFor(services.config) });
  }
  return applySecurityHeaders(response, overTls);
}

/** The request URL; Bun leaves it relative when the Host header is not a host name, which is a client error. */
export function requestUrl(request: Request): URL {
  try {
    return new URL(request.url);
  } catch {
    throw new OAuthError("unknown_host", "The Host header is not a valid host name.", { status: 400 });
  }
}

/** A parameter that fails its route's schema: RFC 6749's `invalid_request`, naming the parameter. */
export const invalidParameter = (problem: ParamProblem): OAuthError =>
  new OAuthError("invalid_request", `The parameter ${problem.name} ${problem.problem}.`);

/** Runs an OIDC endpoint: method check, parameters against its schema, handler. */
export function endpointRunner(services: Services, spec: EndpointSpec, request: Request) {
  return async (context: RequestContext, url: URL): Promise<Response> => {
    if (!spec.methods.includes(request.method as "GET" | "POST")) {
      throw new OAuthError("method_not_allowed", `Use ${spec.methods.join(" or ")}.`, { headers: { Allow: spec.methods.join(", ") } });
    }
    const params = await readParams(request, url, services.config);
    const problem = findParamProblem(spec.params, params);
    if (problem) throw invalidParameter(problem);
    return spec.handle(services, context, params, request.headers.get("authorization"));
  };
}

/** A protocol client that asked only for JSON gets JSON even from page-style endpoints. */
const prefersJson = (request: Request): boolean => {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
};
