import { t } from "elysia";
import type { Params, ParamSchema } from "../lib/params.ts";
import type { Client } from "../store/index.ts";
import { createPresentation, readPresentation, type PresentationsApiDeps } from "./presentations-api.ts";
import { acceptDcApiPageResponse, acceptDcApiPresentation } from "./dc-api-endpoints.ts";
import { acceptWalletResponse, serveRequestObject, type VerifierRequest } from "./wallet-endpoints.ts";

/** A route of the verifier: the wallet's side of OpenID4VP, or the relying parties' presentations API. */
export interface VerifierRoute {
  method: "GET" | "POST";
  /** Elysia path; `:id` is the transaction. */
  path: string;
  params: ParamSchema;
  summary: string;
  /** The caller must be a confidential client of the tenant (app.ts authenticates it, as the token endpoint does). */
  clientAuthentication: boolean;
  handle(services: PresentationsApiDeps, context: VerifierRequest, params: Params, id: string, client: Client | null): Promise<Response>;
}

const text = (description?: string) => t.Optional(t.String(description ? { description } : {}));
const clientCredentials = { client_id: text("client_secret_post; or HTTP Basic"), client_secret: text() };
// The wallet's answer is as large as the body limit allows (maxBodyBytes); its fields are checked by the engine.
const walletAnswer = t.Object({
  response: text("direct_post.jwt: the encrypted response (JWE)"),
  vp_token: text("direct_post: the presentations, as JSON"),
  state: text(), error: text(), error_description: text(),
});
// What navigator.credentials.get resolved with: the DigitalCredential's protocol and the members of its data.
const dcApiAnswer = {
  protocol: text("the DigitalCredential's protocol: openid4vp-v1-signed"),
  response: text("dc_api.jwt: data.response, the encrypted response (JWE)"),
  vp_token: text("dc_api: data.vp_token, as JSON"),
  error: text("data.error, when the wallet declined"), error_description: text(),
};
const requestFetch = t.Object({ wallet_metadata: text("request_uri_method=post: what the wallet supports, as JSON"), wallet_nonce: text() });

const needClient = (client: Client | null): Client => {
  if (!client) throw new Error("verifier route without its authenticated client");
  return client;
};

/** Mounted by app.ts under the tenant's origin. */
export const VERIFIER_ROUTES: readonly VerifierRoute[] = [
  {
    method: "GET", path: "/oid4vp/v1/request/:id", params: t.Object({}), clientAuthentication: false, summary: "The signed request object (request_uri), for the wallet.",
    handle: (s, c, _p, id) => serveRequestObject(s, c, id, null),
  },
  {
    method: "POST", path: "/oid4vp/v1/request/:id", params: requestFetch, clientAuthentication: false, summary: "The signed request object, with the wallet's metadata and nonce (request_uri_method=post).",
    handle: (s, c, p, id) => serveRequestObject(s, c, id, p),
  },
  {
    method: "POST", path: "/oid4vp/v1/response/:id", params: walletAnswer, clientAuthentication: false, summary: "The wallet's answer (response_uri, direct_post or direct_post.jwt).",
    handle: (s, c, p, id) => acceptWalletResponse(s, c, id, p),
  },
  {
    method: "POST", path: "/oid4vp/v1/presentations", clientAuthentication: true, summary: "A relying party asks for a presentation of its own; answered with the wallet URL.",
    params: t.Object({
      dcql_query: text("a DCQL query, as JSON; the tenant's default otherwise"), response_mode: text("direct_post.jwt (default), direct_post, dc_api.jwt (Digital Credentials API) or dc_api (where the operator allows it)"),
      client_id_prefix: text("x509_hash or x509_san_dns"), redirect_uri: text("same-device: one of the client's redirect URIs"),
      expected_origin: text("dc_api: the origin of the client's page that calls the API (one of its redirect URIs' origins); needed when it has several"), ...clientCredentials,
    }),
    handle: (s, c, p, _id, client) => createPresentation(s, c, needClient(client), p),
  },
  {
    method: "GET", path: "/oid4vp/v1/presentations/:id", clientAuthentication: true, summary: "A presentation's status and, once verified, its claims.",
    params: t.Object({ response_code: text("same-device: the code the wallet's redirect carried"), ...clientCredentials }),
    handle: (s, c, p, id, client) => readPresentation(s, c, needClient(client), p, id),
  },
  {
    method: "POST", path: "/oid4vp/v1/presentations/:id/response", clientAuthentication: true, params: t.Object({ ...dcApiAnswer, ...clientCredentials }),
    summary: "A DC API presentation: what the client's page got from navigator.credentials.get; answered with the claims.",
    handle: (s, c, p, id, client) => acceptDcApiPresentation(s, c, needClient(client), p, id),
  },
  {
    method: "POST", path: "/oid4vp/v1/dc-response/:id", clientAuthentication: false, params: t.Object({ page_secret: text("the sign-in page's secret for this transaction"), ...dcApiAnswer }),
    summary: "The sign-in page posts what navigator.credentials.get returned (Digital Credentials API).",
    handle: (s, c, p, id) => acceptDcApiPageResponse(s, c, id, p),
  },
];
