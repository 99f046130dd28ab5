/**
 * The anchors a tenant's trusted lists give the trust store now: from each list's last verified
 * copy, only before that copy's NextUpdate (after it, the list's providers are not trusted until a
 * refresh succeeds: fail closed), each with the credential-type scopes it serves.
 */
import type { ListedAnchor } from "../oid4vp/trusted-lists/load-trusted-list.ts";
import type { CredentialTypeScope, ScopedAnchors, ScopedTrustStore } from "../oid4vp/trusted-lists/scoped-trust.ts";
import type { TrustStore } from "../oid4vp/index.ts";
import type { TrustedListRecord } from "../store/index.ts";

export interface ListAnchors {
  /** Changes whenever the anchors in force change (a refresh, a removal, a NextUpdate passing). */
  key: string;
  entries: { scopes: CredentialTypeScope[]; pems: string[] }[];
}

export function listAnchorsInForce(records: readonly TrustedListRecord[], now: number): ListAnchors {
  const usable = records.filter((record) => record.anchorsJson !== null && record.nextUpdate !== null && record.nextUpdate > now);
  return {
    key: usable.map((record) => `${record.id}@${record.refreshedAt}`).join(","),
    entries: usable.map((record) => ({
      scopes: JSON.parse(record.scopesJson) as CredentialTypeScope[],
      pems: (JSON.parse(record.anchorsJson!) as ListedAnchor[]).map((anchor) => anchor.pem),
    })),
  };
}

/** The tenant's trust store: hand-installed anchors for every type, plus each list's anchors for its scopes. */
export async function scopedTrustStore(createTrustStore: (pems: readonly string[]) => Promise<TrustStore>, pems: readonly string[], lists: ListAnchors): Promise<TrustStore> {
  const base = await createTrustStore(pems);
  if (lists.entries.length === 0) return base;
  const scoped: ScopedAnchors[] = await Promise.all(lists.entries.map(async (entry) => ({ scopes: entry.scopes, anchors: (await createTrustStore(entry.pems)).anchors })));
  const store: ScopedTrustStore = { ...base, scoped };
  return store;
}
