/**
 * Fetches a trusted list document: https only (http where the operator allows it for development),
 * never from loopback, private or link-local addresses (unless allowed), no redirects, one deadline
 * for resolving, connecting and reading, and a byte cap (national lists run to a few megabytes).
 * @see ../fetch-destination.ts for what the destination check does not catch (DNS rebinding)
 */
import { assertPublicDestination, resolveWithDns, type ResolveHost } from "../fetch-destination.ts";
import { readCappedText } from "../read-capped-body.ts";
import type { FetchLike } from "../status-list.ts";
import { TrustedListError } from "./trusted-list-error.ts";

export interface ListFetchOptions {
  fetch?: FetchLike;
  allowHttp?: boolean;
  allowPrivateAddresses?: boolean;
  resolveHost?: ResolveHost;
  /** Default 15 s. */
  timeoutMs?: number;
  /** Default 16 MB. */
  maxBytes?: number;
}

export type ListFetcher = (url: string) => Promise<string>;

export function createListFetcher(options: ListFetchOptions = {}): ListFetcher {
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  return async (location) => {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw new TrustedListError(`${location} is not a URL`);
    }
    if (url.protocol !== "https:" && !(options.allowHttp && url.protocol === "http:")) throw new TrustedListError(`${location} is not an https URL`);
    const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
    try {
      if (!options.allowPrivateAddresses) await withSignal(assertPublicDestination(url.hostname, options.resolveHost ?? resolveWithDns), signal);
      const response = await doFetch(url.href, { signal, redirect: "error", headers: { accept: "application/vnd.etsi.tsl+xml, application/jose, application/json;q=0.5, */*;q=0.1" } });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`HTTP ${response.status}`);
      }
      return await readCappedText(response, options.maxBytes ?? 16_000_000);
    } catch (error) {
      throw new TrustedListError(`${location} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** The system resolver takes no signal: stop waiting for it at the fetch's deadline. */
function withSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
