/**
 * Refuses an SD-JWT presentation whose issuer JWT, disclosures or KB-JWT nest
 * their JSON deeper than any real credential does, before @sd-jwt (which walks
 * payloads recursively) sees it: a ~53 KB `[[[[…]]]]` once overflowed the stack.
 * @see https://www.rfc-editor.org/rfc/rfc9901#section-4
 */
import { jsonDepthExceeds } from "./json-depth.ts";
import { PresentationError } from "./presentation-error.ts";

/** Real credentials nest a handful of levels (address inside a claim inside an array); 32 leaves ample room. */
export const MAX_JSON_DEPTH = 32;

/** @see https://www.rfc-editor.org/rfc/rfc9901#section-4 */
export function checkNestingDepth(presentation: string): void {
  const parts = presentation.split("~");
  const [issuerJwt = "", ...rest] = parts;
  const kbJwt = rest.pop() ?? "";
  const texts: Array<[string, string]> = [
    ...jwtSegments(issuerJwt).map((text) => ["the issuer JWT", text] as [string, string]),
    ...rest.map((disclosure, i) => [`disclosure ${i + 1}`, decode(disclosure)] as [string, string]),
    ...jwtSegments(kbJwt).map((text) => ["the Key Binding JWT", text] as [string, string]),
  ];
  for (const [where, text] of texts) {
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      throw new PresentationError("credential_too_deep", `${where} nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
    }
  }
}

/** The decoded header and payload of a compact JWS. */
function jwtSegments(jwt: string): string[] {
  return jwt.split(".").slice(0, 2).map(decode);
}

function decode(segment: string): string {
  return Buffer.from(segment, "base64url").toString("utf8");
}
