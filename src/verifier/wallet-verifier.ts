import type { Config } from "../config/index.ts";
import type { Keyring } from "../keys/index.ts";
import { hashSecret, randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import type { DcApiRequest, DcqlQueryInput, ResponseBody, ResponseMode, StatusListFetcher, Transaction, TrustStore, VerifierIdentity } from "../oid4vp/index.ts";
import { loadEngine } from "../oid4vp/load-engine.ts";
import type { Store, WalletTransactionRecord } from "../store/index.ts";
import { acceptWalletResponse, type Engine, type ResponseOutcome } from "./accept-response.ts";
import { awaitsWallet, responseChannel, transactionState, type ResponseChannel } from "./transaction-state.ts";
import { listAnchorsInForce, scopedTrustStore } from "./trusted-list-anchors.ts";
import { isDue, type TrustedListRefresher } from "./trusted-list-refresh.ts";

export type { PresentationResult, ResponseOutcome } from "./accept-response.ts";

/** What a started transaction gives the page or the relying party. */
export interface StartedTransaction {
  transactionId: string;
  walletUrl: string;
  requestUri: string;
  expiresAt: number;
  /** signin and link: the page's proof that it started this transaction. */
  pageSecret: string | null;
}

export interface StartOptions {
  tenant: string;
  /** The origin the request came in on: request_uri and response_uri live there. */
  issuer: string;
  purpose: "signin" | "api" | "link";
  /** DC API transactions only: the Origin of the page that calls navigator.credentials.get (Transaction.origin). */
  origin?: string;
  /** The relying party: the API caller, or the client whose sign-in this is (its DCQL query applies). */
  clientId?: string | null;
  /** link: the signed-in account. */
  sub?: string | null;
  /** signin: the authorization request; api: the client's redirect_uri for the same-device flow, if it gave one. */
  returnTo?: string | null;
  dcqlQuery?: DcqlQueryInput;
  responseMode?: ResponseMode;
  /** The client_id prefix for this transaction (verifier API); otherwise the tenant's. */
  clientIdPrefix?: "x509_hash" | "x509_san_dns";
  /** signin: same_device completes only with the response_code the wallet's redirect carries (default cross_device). */
  flow?: "same_device" | "cross_device";
}

/** What a started DC API transaction gives the page or the relying party. */
export interface StartedDcApiTransaction {
  transactionId: string;
  /** One of `digital.requests` for navigator.credentials.get. */
  dcApiRequest: DcApiRequest;
  /** Where what navigator.credentials.get returned is to be posted. */
  responseUri: string;
  expiresAt: number;
  pageSecret: string | null;
}

/** A sign-in or link cannot start: its DCQL query cannot bind an account (the message says why, in one line). */
export class WalletQueryError extends Error {
  override name = "WalletQueryError";
}

const keyBinding = (tenant: string, id: string) => `wallet-transaction/${tenant}/${id}`;
const identityBinding = (tenant: string) => `verifier/${tenant}`;

/**
 * Adapts the OpenID4VP engine to Sigil: per-tenant verifier identity (a development certificate
 * made on first need, or the operator's), trust anchors, and transactions persisted with their
 * response keys sealed. Both the sign-in page and the verifier API use it.
 */
export class WalletVerifier {
  private readonly identities = new Map<string, { chainPem: string; identity: Promise<VerifierIdentity> }>();
  private readonly trustStores = new Map<string, { key: string; store: Promise<TrustStore> }>();
  private statusListFetcher: StatusListFetcher | null = null;
  /** Set by serve: a list found stale while judging an answer is refreshed at once (that answer still fails closed). */
  trustedListRefresher: TrustedListRefresher | null = null;

  /** `engine`: the OpenID4VP engine (x509, SD-JWT, DCQL, QR codes), loaded on first use so that start-up does not wait for it. */
  constructor(private readonly store: Store, private readonly keyring: Keyring, private readonly config: Config, private readonly engine: () => Promise<Engine> = loadEngine) {}

  /** One status-list fetcher (and cache) for the process. */
  private async statusLists(): Promise<StatusListFetcher> {
    this.statusListFetcher ??= (await this.engine()).createStatusListFetcher({ allowHttp: this.config.allowHttpFetch, allowPrivateAddresses: this.config.allowPrivateFetch });
    return this.statusListFetcher;
  }

  /** The wallet URL as an SVG QR code. */
  async qrSvg(walletUrl: string): Promise<string> {
    return (await this.engine()).walletQrSvg(walletUrl);
  }

  /** A redirect transaction (direct_post, direct_post.jwt): the wallet URL for the QR code or a link, and its request_uri. */
  async start(options: StartOptions): Promise<StartedTransaction> {
    const { buildWalletUrl } = await this.engine();
    const { transaction, pageSecret, walletScheme } = await this.create(options, (id) => `${options.issuer}/oid4vp/v1/response/${id}`);
    const requestUri = `${options.issuer}/oid4vp/v1/request/${transaction.id}`;
    const walletUrl = buildWalletUrl({ scheme: walletScheme, clientId: transaction.client_id, requestUri });
    return { transactionId: transaction.id, walletUrl, requestUri, expiresAt: transaction.expires_at, pageSecret };
  }

  /**
   * A Digital Credentials API transaction (dc_api.jwt; dc_api only where the operator allows it): the
   * signed request the page passes to navigator.credentials.get, bound to `origin`. The page posts the
   * answer to `responseUri` (the sign-in page's dc-response endpoint, or the relying party's backend
   * to the presentations API). @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A
   */
  async startDcApi(options: StartOptions & { responseMode: "dc_api.jwt" | "dc_api"; origin: string }): Promise<StartedDcApiTransaction> {
    if (options.responseMode === "dc_api" && !this.config.walletDcApiUnencrypted) throw new WalletQueryError("unencrypted dc_api responses are not allowed here: use dc_api.jwt");
    const { checkExpectedOrigins, createDcApiRequest } = await this.engine();
    try {
      checkExpectedOrigins([options.origin]);
    } catch (error) {
      throw new WalletQueryError(`wallets would refuse this origin: ${(error as Error).message}`);
    }
    const responseUri = (id: string) => `${options.issuer}/oid4vp/v1/${options.purpose === "api" ? `presentations/${id}/response` : `dc-response/${id}`}`;
    const { transaction, pageSecret } = await this.create(options, responseUri);
    const dcApiRequest = await createDcApiRequest(await this.identity(options.tenant), transaction);
    return { transactionId: transaction.id, dcApiRequest, responseUri: transaction.response_uri, expiresAt: transaction.expires_at, pageSecret };
  }

  /** The transaction, persisted with its response key sealed; the page's secret for a sign-in or link. */
  private async create(options: StartOptions, responseUri: (id: string) => string): Promise<{ transaction: Transaction; pageSecret: string | null; walletScheme: string }> {
    const { computeClientId, createTransaction, defaultPidQuery } = await this.engine();
    const settings = await this.store.verifiers.settings(options.tenant);
    const identity = await this.identity(options.tenant);
    const clientId = computeClientId(identity, options.clientIdPrefix ?? settings?.clientIdPrefix ?? "x509_hash", options.tenant);
    // The query: the one given (verifier API), else the relying party's, else the tenant's, else the PID default.
    const clientQuery = options.clientId ? await this.store.verifiers.clientDcqlQuery(options.tenant, options.clientId) : null;
    const storedQuery = clientQuery ?? settings?.dcqlQueryJson ?? null;
    const baseQuery = options.dcqlQuery ?? (storedQuery ? (JSON.parse(storedQuery) as DcqlQueryInput) : defaultPidQuery());
    // A sign-in or link binds an account: its query must ask for a subject identifier, from one credential.
    const dcqlQuery = options.purpose === "api" ? baseQuery : await this.authenticationQuery(baseQuery);
    const transaction = await createTransaction({ clientId, dcqlQuery, responseMode: options.responseMode, origin: options.origin, ttl: this.config.walletTtl, responseUri });
    const pageSecret = options.purpose === "api" ? null : randomId();
    const { private_jwk: privateJwk, ...publicKey } = transaction.response_key;
    await this.store.walletTransactions.create({
      tenant: options.tenant, id: transaction.id, purpose: options.purpose, clientId: options.clientId ?? null, sub: options.sub ?? null, returnTo: options.returnTo ?? null,
      pageSecretHash: pageSecret ? hashSecret(pageSecret) : null,
      transactionJson: JSON.stringify({ ...transaction, response_key: publicKey }),
      sealedResponseKey: await this.keyring.sealSecret(keyBinding(options.tenant, transaction.id), JSON.stringify(privateJwk)),
      status: "pending", resultJson: null, error: null, responseCodeHash: null, expiresAt: transaction.expires_at,
      // A DC API sign-in completes with the page's secret, like a cross-device one: its answer came through that same page.
      flow: options.purpose === "signin" ? (options.flow ?? "cross_device") : "cross_device", deviceConfirmed: false, failedCheck: null,
    });
    return { transaction, pageSecret, walletScheme: settings?.walletScheme ?? "openid4vp" };
  }

  /** The signed request object for a live transaction (GET, or POST with wallet_metadata / wallet_nonce); null when unknown or over. */
  async requestObject(tenant: string, id: string, post: URLSearchParams | null): Promise<string | null> {
    const record = await this.store.walletTransactions.get(tenant, id);
    // A DC API request reaches the wallet through the page only: there is no request_uri for it.
    if (!record || !awaitsWallet(transactionState(record, nowSeconds())) || responseChannel(record) !== "redirect") return null;
    const transaction = await this.openTransaction(record);
    const { createRequestObject, parseRequestUriPost } = await this.engine();
    const jwt = await createRequestObject(await this.identity(tenant), transaction, post ? parseRequestUriPost(post) : {});
    await this.store.walletTransactions.markRetrieved(tenant, id);
    return jwt;
  }

  /** Verifies the wallet's response once, as it came (`channel`); see acceptWalletResponse for what ends a transaction. */
  async acceptResponse(tenant: string, id: string, body: ResponseBody, channel: ResponseChannel = "redirect"): Promise<ResponseOutcome> {
    const engine = await this.engine();
    return acceptWalletResponse({
      store: this.store, engine, verifyOptions: { trust: await this.trust(tenant), statusLists: await this.statusLists() }, openTransaction: (record) => this.openTransaction(record),
    }, tenant, id, body, channel);
  }

  /** Checks a DCQL query a relying party sent, before a transaction is made for it. */
  async checkQuery(query: unknown): Promise<DcqlQueryInput> {
    (await this.engine()).parseDcqlQuery(query as DcqlQueryInput);
    return query as DcqlQueryInput;
  }

  /** The query a sign-in or link sends (a subject identifier added, `multiple` refused); WalletQueryError when it cannot bind an account. */
  private async authenticationQuery(query: DcqlQueryInput): Promise<DcqlQueryInput> {
    const { authenticationQuery, AuthenticationQueryError } = await this.engine();
    try {
      return authenticationQuery(query);
    } catch (error) {
      if (error instanceof AuthenticationQueryError) throw new WalletQueryError(error.message);
      throw error;
    }
  }

  /** The tenant's identity: made on first need, reloaded when the stored chain changes (sigil verifier set-cert). */
  private async identity(tenant: string): Promise<VerifierIdentity> {
    const { createDevelopmentVerifierIdentity, exportVerifierIdentity, loadVerifierIdentity } = await this.engine();
    let settings = await this.store.verifiers.settings(tenant);
    if (!settings?.certificateChainPem || !settings.sealedPrivateKey) {
      const made = await exportVerifierIdentity(await createDevelopmentVerifierIdentity(tenant));
      await this.store.verifiers.installIdentity(tenant, made.certificateChainPem, await this.keyring.sealSecret(identityBinding(tenant), made.privateKeyPem), "development");
      settings = await this.store.verifiers.settings(tenant);
    }
    const chainPem = settings!.certificateChainPem!;
    const cached = this.identities.get(tenant);
    if (cached?.chainPem === chainPem) return cached.identity;
    const sealed = settings!.sealedPrivateKey!;
    const identity = this.keyring.openSecret(identityBinding(tenant), sealed).then((keyPem) => loadVerifierIdentity(chainPem, keyPem));
    this.identities.set(tenant, { chainPem, identity });
    return identity;
  }

  private async trust(tenant: string): Promise<TrustStore> {
    const anchors = await this.store.verifiers.trustAnchors(tenant);
    // Trusted lists add anchors per credential type, while their verified copy is in force (trusted-list-anchors.ts).
    const records = await this.store.trustedLists.list(tenant);
    const now = nowSeconds();
    for (const record of records) if (isDue(record, now) && (record.nextUpdate ?? 0) <= now) void this.trustedListRefresher?.refresh(record, now);
    const lists = listAnchorsInForce(records, now);
    const key = `${anchors.map((anchor) => anchor.fingerprint).join(",")}|${lists.key}`;
    const cached = this.trustStores.get(tenant);
    if (cached?.key === key) return cached.store;
    const store = this.engine().then(({ createTrustStore }) => scopedTrustStore(createTrustStore, anchors.map((anchor) => anchor.pem), lists));
    this.trustStores.set(tenant, { key, store });
    return store;
  }

  private async openTransaction(record: WalletTransactionRecord): Promise<Transaction> {
    const stored = JSON.parse(record.transactionJson) as Omit<Transaction, "response_key"> & { response_key: Omit<Transaction["response_key"], "private_jwk"> };
    const privateJwk = JSON.parse(await this.keyring.openSecret(keyBinding(record.tenant, record.id), record.sealedResponseKey)) as Transaction["response_key"]["private_jwk"];
    return { ...stored, response_key: { ...stored.response_key, private_jwk: privateJwk } };
  }
}

/** The verifier identity an operator installs (sigil verifier set-cert): checked, then sealed. */
export async function sealOperatorIdentity(keyring: Keyring, tenant: string, chainPem: string, keyPem: string): Promise<{ chainPem: string; sealedKey: string; identity: VerifierIdentity }> {
  const { exportVerifierIdentity, loadVerifierIdentity } = await loadEngine();
  const identity = await loadVerifierIdentity(chainPem, keyPem);
  const exported = await exportVerifierIdentity(identity);
  return { chainPem: exported.certificateChainPem, sealedKey: await keyring.sealSecret(identityBinding(tenant), exported.privateKeyPem), identity };
}
