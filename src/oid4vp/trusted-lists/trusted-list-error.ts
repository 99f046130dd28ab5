/** A trusted list that cannot be used: unfetchable, unsigned, signed by the wrong key, malformed or expired. The message names why, in one line. */
export class TrustedListError extends Error {
  override name = "TrustedListError";
}
