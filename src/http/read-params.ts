import { noteOf } from "./request-notes.ts";
import { OAuthError } from "../lib/oauth-error.ts";
import type { Config } from "../config/index.ts";
import { Params } from "../lib/params.ts";

/** How large a body may be, and how many seconds it may take to arrive in full. */
export type BodyLimits = Pick<Config, "maxBodyBytes" | "bodyTimeout">;

/**
 * Parameters of a protocol request: the query string for GET and DELETE; for POST (and PATCH) the
 * form (application/x-www-form-urlencoded) or flat JSON body. Bodies over the
 * limits (size, time) and malformed bodies are refused with a clear error.
 */
export async function readParams(request: Request, url: URL, limits: BodyLimits): Promise<Params> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "DELETE") return Params.fromSearch(url.searchParams);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limits.maxBodyBytes) throw new OAuthError("payload_too_large", `The request body is larger than ${limits.maxBodyBytes} bytes.`);
  const text = await readBodyWithin(request, url, limits);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OAuthError("invalid_request", "The request body is not valid JSON.");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new OAuthError("invalid_request", "The JSON body must be an object.");
    return Params.fromObject(parsed as Record<string, unknown>);
  }
  if (type === "application/x-www-form-urlencoded" || (type === "" && text.length === 0)) return Params.fromSearch(new URLSearchParams(text));
  throw new OAuthError("invalid_request", "The body must be application/x-www-form-urlencoded or application/json.");
}

/**
 * Reads the body as text, stopping as soon as it passes the size limit (a chunked body declares no
 * length) or the time limit: a body that never arrives in full (Content-Length promising more than
 * is sent, a stalled chunked body) would otherwise hold the request until the socket's idle timeout.
 * The stream is cancelled and the connection closed, so that nothing is left waiting for the rest.
 */
export async function readBodyWithin(request: Request, url: URL, limits: BodyLimits): Promise<string> {
  const tooLarge = () => new OAuthError("payload_too_large", `The request body is larger than ${limits.maxBodyBytes} bytes.`);
  if (!request.body) return "";
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), limits.bodyTimeout * 1000)));
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === "late") throw unreadable(request, url, "did not arrive in time", `not whole after ${limits.bodyTimeout} s`);
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limits.maxBodyBytes) throw tooLarge();
      chunks.push(next.value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    if (error instanceof OAuthError) throw error;
    const message = String((error as Error)?.message ?? error);
    // Bun's own ceiling (maxRequestBodySize) ends the stream with an error: still too large.
    if (/maxRequestBodySize|too large/i.test(message)) throw tooLarge();
    // Typically the client hung up mid-body; nobody may be left to read the answer.
    throw unreadable(request, url, "could not be read", message);
  } finally {
    clearTimeout(timer);
  }
  return decodeUtf8(Buffer.concat(chunks));
}

/** A 400 for a body that did not arrive whole, said on the request's one log line (a warning): a client's failure, so no stack. */
function unreadable(request: Request, url: URL, what: string, detail: string): OAuthError {
  const internal = `request body ${what}: ${request.method} ${url.pathname} (${detail.split("\n")[0]!.slice(0, 120)})`;
  noteOf(request).problem = internal;
  return new OAuthError("invalid_request", `The request body ${what}.`, { internal, headers: { Connection: "close" } });
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new OAuthError("invalid_request", "The request body is not valid UTF-8.");
  }
}
