/**
 * The OID4VP engine behind a fetch function, with no server: request_uri,
 * response_uri and the issuer's status list are answered in memory. It plays
 * the caller's part (storing transactions, single use) just enough for the
 * engine's unit tests to run the whole flow through the test wallet.
 */
import {
  buildWalletUrl,
  computeClientId,
  createDevelopmentVerifierIdentity,
  createRequestObject,
  createStatusListFetcher,
  createTransaction,
  createTrustStore,
  defaultPidQuery,
  parseRequestUriPost,
  verifyPresentationResponse,
} from "../../../src/oid4vp/index.ts";
import type {
  ClientIdPrefix,
  DcqlQueryInput,
  RejectedPresentation,
  ResponseMode,
  Transaction,
  TrustStore,
  VerifiedPresentation,
  VerifierIdentity,
} from "../../../src/oid4vp/index.ts";
import type { FetchLike } from "./fetch-request-object.ts";
import type { TestIssuer } from "./test-issuer.ts";

export const VERIFIER_HOST = "verifier.test";

export interface InMemoryVerifier {
  identity: VerifierIdentity;
  clientId: string;
  trust: TrustStore;
  fetch: FetchLike;
  transactions: Map<string, Transaction>;
  outcomes: Map<string, VerifiedPresentation | RejectedPresentation>;
  start(options?: { dcqlQuery?: DcqlQueryInput; responseMode?: ResponseMode; requestUriMethod?: "get" | "post"; scheme?: string }): Promise<{ transaction: Transaction; walletUrl: string }>;
  /** How many times each request_uri was fetched, and with what POST body. */
  requestFetches: Array<{ id: string; method: string; walletNonce?: string }>;
}

export interface InMemoryVerifierOptions {
  issuer: TestIssuer;
  prefix?: ClientIdPrefix;
  /** Serve this instead of the issuer's status list (forged lists). */
  statusListToken?: () => Promise<string>;
  now?: () => number;
  /** Origin of request_uri and response_uri (default https://verifier.test); set it to serve the harness over real HTTP. */
  baseUrl?: string;
  /** More trust anchors (PEM), e.g. a test IACA for mdoc issuers. */
  extraAnchors?: string[];
}

export async function createInMemoryVerifier(options: InMemoryVerifierOptions): Promise<InMemoryVerifier> {
  const identity = await createDevelopmentVerifierIdentity(VERIFIER_HOST);
  const clientId = computeClientId(identity, options.prefix ?? "x509_hash", VERIFIER_HOST);
  const trust = await createTrustStore([options.issuer.ca.pem, ...(options.extraAnchors ?? [])]);
  const transactions = new Map<string, Transaction>();
  const outcomes = new Map<string, VerifiedPresentation | RejectedPresentation>();
  const requestFetches: InMemoryVerifier["requestFetches"] = [];
  const serveStatus = options.statusListToken ?? (() => options.issuer.statusListToken());
  const base = new URL(options.baseUrl ?? `https://${VERIFIER_HOST}`);

  const fetchFn: FetchLike = async (input, init) => {
    const url = new URL(input);
    const method = (init?.method ?? "GET").toUpperCase();
    if (url.href === options.issuer.statusListUri) {
      return new Response(await serveStatus(), { headers: { "content-type": "application/statuslist+jwt" } });
    }
    if (url.origin !== base.origin) return new Response("not found", { status: 404 });
    const [, kind, id] = url.pathname.split("/");
    const transaction = id ? transactions.get(id) : undefined;
    if (!transaction) return new Response("not found", { status: 404 });
    if (kind === "request") {
      const post = method === "POST" ? parseRequestUriPost(new URLSearchParams(String(init?.body ?? ""))) : {};
      requestFetches.push({ id: transaction.id, method, walletNonce: post.walletNonce });
      const jwt = await createRequestObject(identity, transaction, post);
      return new Response(jwt, { headers: { "content-type": "application/oauth-authz-req+jwt" } });
    }
    if (kind === "response" && method === "POST") {
      // The caller's job, played here: one response per transaction.
      if (transaction.status !== "pending") return Response.json({ error: "invalid_request", error_description: "transaction already used" }, { status: 400 });
      const body = new URLSearchParams(String(init?.body ?? ""));
      const outcome = await verifyPresentationResponse(transaction, body, {
        trust,
        // issuer.test is answered in memory, not by DNS: give it a public (RFC 5737 documentation) address.
        statusLists: createStatusListFetcher({ fetch: fetchFn, resolveHost: async () => ["203.0.113.7"] }),
        now: options.now?.(),
      });
      outcomes.set(transaction.id, outcome);
      transaction.status = outcome.ok ? "verified" : "failed";
      if (!outcome.ok) return Response.json(outcome.error.toJSON(), { status: outcome.error.status });
      return Response.json({});
    }
    return new Response("not found", { status: 404 });
  };

  return {
    identity,
    clientId,
    trust,
    fetch: fetchFn,
    transactions,
    outcomes,
    requestFetches,
    async start(startOptions = {}) {
      const transaction = await createTransaction({
        clientId,
        responseUri: (id) => new URL(`/response/${id}`, base).href,
        dcqlQuery: startOptions.dcqlQuery ?? defaultPidQuery(),
        responseMode: startOptions.responseMode,
      });
      transactions.set(transaction.id, transaction);
      const walletUrl = buildWalletUrl({
        scheme: startOptions.scheme,
        clientId,
        requestUri: new URL(`/request/${transaction.id}`, base).href,
        requestUriMethod: startOptions.requestUriMethod ?? "post",
      });
      return { transaction, walletUrl };
    },
  };
}
