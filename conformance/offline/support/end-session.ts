// The end_session endpoint on the wire, and where Sigil's signed-out page sends the browser.
import type { Op } from "./op.ts";

export { logoutRedirectTarget } from "../../../test/support/logout-page.ts";

/** GET the end_session endpoint with these parameters. */
export function endSession(op: Op, params: Record<string, string>): Promise<Response> {
  const path = new URL(op.metadata.end_session_endpoint!).pathname;
  const query = new URLSearchParams(params).toString();
  return op.server.fetch(query ? `${path}?${query}` : path);
}
