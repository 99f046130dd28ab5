/**
 * Reads a fetched body as UTF-8 text under a byte cap, never holding more than
 * the cap plus one chunk: a declared Content-Length over the cap is refused
 * before any byte is read, and the stream is cancelled the moment the cap is
 * passed (a body without Content-Length, or a decompressed one larger than it
 * declared, is cut off just the same).
 * @see https://fetch.spec.whatwg.org/#concept-body-consume-body
 */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`Content-Length ${declared} is over the ${maxBytes}-byte cap`);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`the body passed the ${maxBytes}-byte cap`);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
}
