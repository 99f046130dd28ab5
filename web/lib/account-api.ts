// Calls to the account API with the page's bearer token; errors carry the server's sentence.
import { storeSso } from "./sso.ts";

export class AccountApiError extends Error {
  constructor(message: string, readonly status: number, readonly code: string | null = null) {
    super(message);
  }
}

/** What a re-authentication must reach, as the server names it in a `reauthentication_required` answer. */
export interface Reauthentication {
  acrValues: string;
}

let onReauthenticate: ((needed: Reauthentication) => void) | null = null;

/** The page signs in again (prompt=login, acr_values, max_age) when a change needs a fresher or stronger session. */
export function whenReauthenticationIsNeeded(handler: (needed: Reauthentication) => void): void {
  onReauthenticate = handler;
}

/** Changes of how the account signs in end every single sign-on assertion; this browser then gets a new one. */
const ENDS_SESSIONS = [
  /^POST \/account\/v1\/totp\/enrolment\/confirm$/, /^POST \/account\/v1\/totp\/recovery-codes$/, /^DELETE \/account\/v1\/totp$/,
  /^POST \/account\/v1\/passkeys$/, /^DELETE \/account\/v1\/passkeys\/[^/]+$/, /^POST \/account\/v1\/wallet\/link\/finish$/,
];

export async function accountCall<T = Record<string, unknown>>(token: string, method: string, path: string, body?: Record<string, unknown>): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "omit",
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  let parsed: { error?: { message?: string; code?: string; acr_values?: unknown } } & Record<string, unknown> = {};
  if (response.status !== 204) {
    try {
      parsed = (await response.json()) as typeof parsed;
    } catch {
      // A non-JSON answer is reported by its status.
    }
  }
  if (!response.ok) {
    const error = parsed.error;
    if (error?.code === "reauthentication_required" && typeof error.acr_values === "string" && onReauthenticate) {
      onReauthenticate({ acrValues: error.acr_values });
    }
    throw new AccountApiError(error?.message ?? `The server answered ${response.status}. Try again.`, response.status, error?.code ?? null);
  }
  // A wallet link answers 202 while it waits; only a finished change ended the sessions.
  const finished = response.status !== 202 && (parsed.status === undefined || parsed.status === "linked");
  if (finished && ENDS_SESSIONS.some((change) => change.test(`${method} ${path}`))) await renewSso(token);
  return (response.status === 204 ? {} : parsed) as T;
}

async function renewSso(token: string): Promise<void> {
  try {
    const response = await fetch("/account/v1/session/sso", { method: "POST", credentials: "omit", headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
    const body = (await response.json()) as { sso?: unknown };
    if (response.ok && typeof body.sso === "string") storeSso(body.sso);
  } catch {
    // Without a new assertion this browser simply signs in again next time.
  }
}
