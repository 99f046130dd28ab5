/** The account API's own error shape: a stable machine code and a sentence for a person. */
export class AccountError extends Error {
  override name = "AccountError";
  constructor(
    readonly code: "unauthenticated" | "forbidden" | "not_found" | "invalid_input" | "conflict" | "reauthentication_required",
    message: string,
    readonly status: number,
    /** Machine-readable details for the page, e.g. what a re-authentication must reach. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
