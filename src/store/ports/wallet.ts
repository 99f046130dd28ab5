/** Storage ports: the EU Wallet verifier: its settings and trust anchors, wallet transactions, and wallet-to-account links. */
export interface VerifierSettings {
  tenant: string;
  certificateChainPem: string | null;
  /** The verifier's private key (PKCS#8 PEM), sealed by keys/. */
  sealedPrivateKey: string | null;
  identitySource: "development" | "operator" | null;
  clientIdPrefix: "x509_hash" | "x509_san_dns";
  walletScheme: string;
  /** The tenant's default DCQL query (JSON); null: the PID's given_name, family_name, birthdate. */
  dcqlQueryJson: string | null;
  /** A wallet that is linked to no account may create one. */
  walletSignup: boolean;
}

export interface TrustAnchorRecord {
  tenant: string;
  /** SHA-256 of the DER, base64url. */
  fingerprint: string;
  pem: string;
  subject: string;
  addedAt: number;
}

export type WalletTransactionStatus = "pending" | "retrieved" | "verifying" | "verified" | "failed" | "completed";

export interface WalletTransactionRecord {
  tenant: string;
  id: string;
  purpose: "signin" | "api" | "link";
  clientId: string | null;
  /** link: the account the wallet is to be linked to. */
  sub: string | null;
  returnTo: string | null;
  pageSecretHash: string | null;
  /** The engine's Transaction as JSON, without the private response key. */
  transactionJson: string;
  sealedResponseKey: string;
  status: WalletTransactionStatus;
  resultJson: string | null;
  error: string | null;
  /** Same-device flow (sign-in, a link, or an API presentation with a redirect_uri): digest of the response_code handed to the wallet. */
  responseCodeHash: string | null;
  expiresAt: number;
  /** signin: same_device completes only with the response_code; cross_device with the page's secret alone. */
  flow: "same_device" | "cross_device";
  /** link: confirmed on the device the wallet returned to. */
  deviceConfirmed: boolean;
  /** failed: the check that failed, where the page says something particular about it. */
  failedCheck: string | null;
}

export interface VerifierRepo {
  settings(tenant: string): Promise<VerifierSettings | null>;
  /** Upserts the policy columns (prefix, scheme, DCQL) of the tenant's verifier. */
  savePolicy(tenant: string, policy: Pick<VerifierSettings, "clientIdPrefix" | "walletScheme" | "dcqlQueryJson" | "walletSignup">): Promise<void>;
  /** Stores an identity; a development one only where none exists yet (false then), an operator's always. */
  installIdentity(tenant: string, certificateChainPem: string, sealedPrivateKey: string, source: "development" | "operator"): Promise<boolean>;
  /** A relying party's own DCQL query (JSON) for wallet sign-ins; null: the tenant's. */
  clientDcqlQuery(tenant: string, clientId: string): Promise<string | null>;
  /** Sets (or, with null, clears) a relying party's DCQL query. */
  setClientDcqlQuery(tenant: string, clientId: string, dcqlQueryJson: string | null): Promise<void>;
  trustAnchors(tenant: string): Promise<TrustAnchorRecord[]>;
  addTrustAnchor(anchor: TrustAnchorRecord): Promise<boolean>;
  removeTrustAnchor(tenant: string, fingerprint: string): Promise<boolean>;
}

export interface WalletTransactionRepo {
  create(record: WalletTransactionRecord): Promise<void>;
  /** Transactions of the tenant not yet expired: the cap on what callers can make the store hold. */
  countLive(tenant: string, now: number): Promise<number>;
  get(tenant: string, id: string): Promise<WalletTransactionRecord | null>;
  markRetrieved(tenant: string, id: string): Promise<void>;
  /** Takes a live, unanswered transaction for verifying one response: true exactly once. */
  claimForResponse(tenant: string, id: string, now: number): Promise<boolean>;
  finish(tenant: string, id: string, status: "verified" | "failed", resultJson: string | null, error: string | null, responseCodeHash?: string | null, failedCheck?: string | null): Promise<void>;
  /** A verified sign-in (or a confirmed link) completes once: true exactly once. */
  complete(tenant: string, id: string): Promise<boolean>;
  /**
   * The wallet's device answers a verified, undecided link whose response_code digest this is and
   * whose expires_at is later than `expiresAfter`: confirm, or decline (the transaction then fails). True exactly once.
   */
  decideLink(tenant: string, id: string, responseCodeHash: string, decision: "confirm" | "decline", expiresAfter: number): Promise<boolean>;
}

export interface WalletLinkRepo {
  find(tenant: string, linkKey: string): Promise<string | null>;
  /** Links a wallet to an account; false when that wallet is already linked. */
  add(tenant: string, linkKey: string, sub: string, now: number): Promise<boolean>;
  countOfUser(tenant: string, sub: string): Promise<number>;
  /** The user's links, oldest first; a link is known by its key (a digest, which names no one). */
  listOfUser(tenant: string, sub: string): Promise<{ linkKey: string; createdAt: number }[]>;
  /** Unlinks one wallet from the user; false when the user has no such link. */
  remove(tenant: string, sub: string, linkKey: string): Promise<boolean>;
}
