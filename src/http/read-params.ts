import { OAuthError } from "../lib/oauth-error.ts";
import { Params } from "../lib/params.ts";

/**
 * Parameters of a protocol request: the query string for GET and DELETE; for POST (and PATCH) the
 * form (application/x-www-form-urlencoded) or flat JSON body. Bodies over the
 * limit and malformed bodies are refused with a clear error.
 */
export async function readParams(request: Request, url: URL, maxBytes: number): Promise<Params> {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "DELETE") return Params.fromSearch(url.searchParams);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new OAuthError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const text = await readBodyWithin(request, maxBytes);
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

/** Reads the body as text, stopping as soon as it passes the limit (a chunked body declares no length). */
async function readBodyWithin(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new OAuthError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  if (!request.body) return "";
  if (request.headers.has("content-length")) {
    // Declared and already checked against the limit: one read, no stream machinery.
    return decodeUtf8(new Uint8Array(await request.arrayBuffer()));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of request.body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    // Bun's own ceiling (maxRequestBodySize) ends the stream with an error: still too large.
    if (/maxRequestBodySize|too large/i.test(String((error as Error)?.message))) throw tooLarge();
    throw new OAuthError("invalid_request", "The request body could not be read.");
  }
  return decodeUtf8(Buffer.concat(chunks));
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new OAuthError("invalid_request", "The request body is not valid UTF-8.");
  }
}
