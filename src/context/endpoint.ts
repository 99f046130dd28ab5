import type { Params } from "../lib/params.ts";
import type { RequestContext, Services } from "./services.ts";

/** How an endpoint's failures are shown: RFC 6749 JSON, or a page for a person in a browser. */
export type ErrorStyle = "json" | "page";

/** An endpoint that answers at /oauth2/v1/<name> and /oidc.ashx?action=<name> (the protocol's and the sign-in page's). */
export interface EndpointSpec {
  name: string;
  methods: readonly ("GET" | "POST")[];
  errors: ErrorStyle;
  handle(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response>;
}
