/**
 * Trust per credential type: anchors that came from a trusted list serve only the credential types
 * the operator subscribed that list for (an SD-JWT VC `vct` or an mdoc `doctype` pattern), on top
 * of the tenant's hand-installed anchors, which serve every type. A PID provider listed for
 * `urn:eudi:pid:*` is therefore no anchor for an mDL. Patterns are exact, or a prefix ending in `*`.
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119602/01.01.01_60/ts_119602v010101p.pdf (annex D: PID providers)
 */
import type { TrustAnchor, TrustStore } from "../trust-store.ts";

export interface CredentialTypeScope {
  kind: "vct" | "doctype";
  pattern: string;
}

export interface ScopedAnchors {
  scopes: readonly CredentialTypeScope[];
  anchors: readonly TrustAnchor[];
}

/** A tenant's trust store with anchors that apply to some credential types only. */
export interface ScopedTrustStore extends TrustStore {
  scoped: readonly ScopedAnchors[];
}

export type CredentialType = { vct: string; doctype?: never } | { doctype: string; vct?: never };

/** Null when the pattern is usable; else why not. */
export function scopePatternProblem(pattern: string): string | null {
  if (pattern.length === 0 || pattern.length > 200) return "a pattern is 1 to 200 characters";
  if (/[\s]/.test(pattern)) return "a pattern has no spaces";
  const star = pattern.indexOf("*");
  if (star !== -1 && star !== pattern.length - 1) return "a pattern may end in * (a prefix), and has no other *";
  if (pattern === "*") return "* alone would trust the list for every credential type";
  return null;
}

export function matchesScope(scope: CredentialTypeScope, type: CredentialType): boolean {
  const value = scope.kind === "vct" ? type.vct : type.doctype;
  if (value === undefined) return false;
  return scope.pattern.endsWith("*") ? value.startsWith(scope.pattern.slice(0, -1)) : value === scope.pattern;
}

const derived = new WeakMap<TrustStore, Map<string, TrustStore>>();

/**
 * The store to judge a credential of `type` with: the hand-installed anchors plus the listed
 * anchors whose scope matches. Each distinct set gets its own chain cache, so a chain validated for
 * a PID is never served from the cache for an mDL.
 */
export function trustForCredentialType(store: TrustStore, type: CredentialType): TrustStore {
  if (!("scoped" in store)) return store;
  const matching = (store as ScopedTrustStore).scoped.map((entry, index) => (entry.scopes.some((scope) => matchesScope(scope, type)) ? index : -1)).filter((index) => index >= 0);
  const key = matching.join(",");
  let byKey = derived.get(store);
  if (!byKey) derived.set(store, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const anchors = [...store.anchors, ...matching.flatMap((index) => (store as ScopedTrustStore).scoped[index]!.anchors)];
  const made: TrustStore = { ...store, anchors, cache: new Map() };
  // The derived store has no `scoped`: judging it again for another type cannot widen it.
  delete (made as Partial<ScopedTrustStore>).scoped;
  byKey.set(key, made);
  return made;
}
