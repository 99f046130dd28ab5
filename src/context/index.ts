/** The types every domain above the verifier shares: the long-lived services and one request's context. */
export type { Services, RequestContext } from "./services.ts";
export type { EndpointSpec, ErrorStyle } from "./endpoint.ts";
export type { ParamSchema } from "../lib/params.ts";
export type { Throttle } from "./throttle.ts";
export type { AttemptLimit } from "./attempt-limit.ts";
