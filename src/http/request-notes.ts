// What the HTTP layer learns about one request as it passes through, kept beside the Request
// object (as runtime/serve.ts keeps the peer address): its id, set first by the operations wrapper,
// and its tenant, set once handleRequest resolved one. Headers never carry these back in.
export interface RequestNote {
  readonly id: string;
  tenant: string | null;
  /** What went wrong on the client's side (a body that never arrived), for the request's line, which it makes a warning. */
  problem: string | null;
}

const notes = new WeakMap<Request, RequestNote>();

/** Why an incoming X-Request-Id may be kept: a short token of safe characters, nothing a log or header could be bent by. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request's id: the one a trusted proxy sent (so that its logs and Sigil's line up), else a new
 * one. An id from a client Sigil does not trust is ignored, or anyone could forge log correlation.
 */
export function assignRequestId(request: Request, trustForwarded: boolean): string {
  const incoming = request.headers.get("x-request-id");
  const id = trustForwarded && incoming !== null && SANE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
  notes.set(request, { id, tenant: null, problem: null });
  return id;
}

/** The request's note; a request that came without the operations wrapper (an in-process test) gets one on first ask. */
export function noteOf(request: Request): RequestNote {
  let note = notes.get(request);
  if (!note) notes.set(request, (note = { id: newRequestId(), tenant: null, problem: null }));
  return note;
}

function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
