import type { Params, ParamSchema } from "../lib/params.ts";
import type { RequestContext, Services } from "./services.ts";

/** How an endpoint's failures are shown: RFC 6749 JSON, or a page for a person in a browser. */
export type ErrorStyle = "json" | "page";

/** An endpoint that answers at /oauth2/v1/<name> and /oidc.ashx?action=<name> (the protocol's and the sign-in page's). */
export interface EndpointSpec {
  name: string;
  methods: readonly ("GET" | "POST")[];
  errors: ErrorStyle;
  /** Every parameter the handler reads (unknown ones are ignored, RFC 6749 §3.1); http/ checks them before the handler runs. */
  params: ParamSchema;
  /** One sentence for the generated docs. */
  summary: string;
  handle(services: Services, context: RequestContext, params: Params, authorization: string | null): Promise<Response>;
}
