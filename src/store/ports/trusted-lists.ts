/** Storage port: trusted-list subscriptions per tenant and the last verified anchors of each. */
export interface TrustedListRecord {
  tenant: string;
  id: string;
  url: string | null;
  /** The list itself, when the operator gave a file rather than a URL. */
  document: string | null;
  /** PEM bundle of the certificates allowed to sign the list. */
  signerPems: string;
  serviceType: string;
  /** JSON array of { kind: "vct" | "doctype", pattern }. */
  scopesJson: string;
  addedAt: number;
  /** JSON array of the anchors (PEM, provider, service, list) of the last verified copy; null before the first. */
  anchorsJson: string | null;
  issuedAt: number | null;
  /** The verified copy is usable until then, not after. */
  nextUpdate: number | null;
  refreshedAt: number | null;
  attemptedAt: number | null;
  /** Why the last attempt failed; null when it worked. */
  lastError: string | null;
}

export interface TrustedListRepo {
  list(tenant: string): Promise<TrustedListRecord[]>;
  /** Every tenant's subscriptions: what the background refresh walks. */
  all(): Promise<TrustedListRecord[]>;
  /** False when the tenant already has a list with this id. */
  add(record: TrustedListRecord): Promise<boolean>;
  remove(tenant: string, id: string): Promise<boolean>;
  /** A verified copy replaces the previous one, and clears the last error. */
  saveVerified(tenant: string, id: string, verified: { anchorsJson: string; issuedAt: number; nextUpdate: number; at: number }): Promise<void>;
  /** A failed attempt keeps the previous verified copy (it stays usable until its own next_update). */
  saveFailure(tenant: string, id: string, error: string, at: number): Promise<void>;
}
