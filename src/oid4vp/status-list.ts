/**
 * Token Status List: fetching the list token (HTTPS only unless allowed, never
 * from internal addresses unless allowed, with a timeout, a streamed byte cap
 * and a cache honouring `ttl`), verifying it through its
 * own `x5c` to a trust anchor, and reading the credential's entry. A forged or
 * unverifiable list never "un-revokes" a credential: every failure rejects.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-8
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-5.1
 */
import { decodeJwt, decodeProtectedHeader } from "jose";
import { assertPublicDestination, resolveWithDns } from "./fetch-destination.ts";
import type { ResolveHost } from "./fetch-destination.ts";
import { PresentationError } from "./presentation-error.ts";
import { readCappedText } from "./read-capped-body.ts";
import { X5cJwsError, verifyX5cJws } from "./verify-x5c-jws.ts";
import type { TrustStore } from "./trust-store.ts";

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface StatusListFetcherOptions {
  fetch?: FetchLike;
  /** Plain http:// list URIs, for development and tests only. */
  allowHttp?: boolean;
  /** Loopback, private, link-local and other internal destinations, for development and tests only (default false). */
  allowPrivateAddresses?: boolean;
  /** How host names are resolved for the destination check (default: the system resolver, all addresses). */
  resolveHost?: ResolveHost;
  /** One deadline for resolving, connecting and reading the body (default 5000 ms). */
  timeoutMs?: number;
  /** Upper bound on caching, whatever the list's `ttl` says (default 300 s). */
  maxCacheSeconds?: number;
  /** Byte cap on the list token (default 1 MB). */
  maxBytes?: number;
}

export interface StatusListFetcher {
  fetchToken(uri: string, now: number): Promise<string>;
  /** Drops a cached token, e.g. one that failed verification, so a forged list is not served from cache. */
  evict?(uri: string): void;
}

const STATUS_LIST_TYP = "statuslist+jwt";

/** @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-8.1 */
export function createStatusListFetcher(options: StatusListFetcherOptions = {}): StatusListFetcher {
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const cache = new Map<string, { token: string; until: number }>();
  return {
    async fetchToken(uri, now) {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw new PresentationError("status_fetch", "the status list URI is not a URL");
      }
      if (url.protocol !== "https:" && !(options.allowHttp && url.protocol === "http:")) {
        throw new PresentationError("status_fetch", "the status list URI is not https");
      }
      const hit = cache.get(uri);
      if (hit && hit.until > now) return hit.token;
      let token: string;
      const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
      try {
        // fetch resolves the name again when it connects: DNS rebinding in between is not caught (see fetch-destination.ts).
        if (!options.allowPrivateAddresses) await withSignal(assertPublicDestination(url.hostname, options.resolveHost ?? resolveWithDns), signal);
        const response = await doFetch(uri, { headers: { accept: "application/statuslist+jwt" }, signal, redirect: "error" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        token = (await readCappedText(response, options.maxBytes ?? 1_000_000)).trim();
      } catch (error) {
        throw new PresentationError("status_fetch", "the status list could not be fetched", { internal: error instanceof Error ? error.message : String(error) });
      }
      const ttl = readTtl(token);
      const maxCache = options.maxCacheSeconds ?? 300;
      if (cache.size > 1000) cache.clear();
      cache.set(uri, { token, until: now + Math.min(ttl ?? maxCache, maxCache) });
      return token;
    },
    evict(uri) {
      cache.delete(uri);
    },
  };
}

/**
 * Checks a status list token's header and claims and its signature through
 * `x5c` to a trust anchor. Used as the statusVerifier given to @sd-jwt/sd-jwt-vc.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-5.1
 */
export async function verifyStatusListToken(token: string, expectedUri: string, trust: TrustStore, now: number): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw new PresentationError("status_signature", "the status list token is not a JWT");
  }
  if (header.typ !== STATUS_LIST_TYP) throw new PresentationError("status_signature", "the status list token typ is not statuslist+jwt");
  if (payload.sub !== expectedUri) throw new PresentationError("status_signature", "the status list token sub is not its URI");
  if (typeof payload.exp === "number" && payload.exp < now) throw new PresentationError("status_signature", "the status list token has expired");
  try {
    await verifyX5cJws(token, trust, new Date(now * 1000));
  } catch (error) {
    if (error instanceof X5cJwsError && error.failure === "trust") throw new PresentationError("status_trust", "the status list is not signed by a trusted issuer", { internal: error.message });
    throw new PresentationError("status_signature", "the status list signature does not verify", { internal: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Maps a status value to a rejection; 0 (VALID) passes.
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-status-list#section-7.1
 */
export function checkStatusValue(status: number): void {
  if (status === 0) return;
  if (status === 1) throw new PresentationError("status_revoked", "the credential has been revoked", { error: "access_denied" });
  if (status === 2) throw new PresentationError("status_suspended", "the credential is suspended", { error: "access_denied" });
  throw new PresentationError("status_invalid", `the credential has status ${status}`, { error: "access_denied" });
}

/** The system resolver takes no signal: give up waiting for it at the fetch's deadline. */
function withSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

function readTtl(token: string): number | undefined {
  try {
    const ttl = decodeJwt(token).ttl;
    return typeof ttl === "number" && ttl >= 0 ? ttl : undefined;
  } catch {
    return undefined;
  }
}
