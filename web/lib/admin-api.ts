// Calls to the admin API with the console's bearer token. An error keeps the API's stable code and
// the `field` it names, so the form that sent the request can put the sentence beside that field.

export class AdminApiError extends Error {
  constructor(message: string, readonly status: number, readonly code: string | null, readonly field: string | null) {
    super(message);
  }
}

export const ADMIN_API = "/admin/api/v1";

let token = "";
let onUnauthenticated: () => void = () => {};

/** The token every call sends, and what happens when the API no longer accepts it (401). */
export function useAdminToken(accessToken: string, whenRefused: () => void): void {
  token = accessToken;
  onUnauthenticated = whenRefused;
}

export async function adminCall<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${ADMIN_API}${path}`, {
    method,
    credentials: "omit",
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  let parsed: Record<string, unknown> = {};
  if (response.status !== 204) {
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      // A non-JSON answer (a proxy's error page) is reported by its status.
    }
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthenticated();
    const text = (name: string) => (typeof parsed[name] === "string" ? (parsed[name] as string) : null);
    throw new AdminApiError(text("message") ?? `The server answered ${response.status}. Try again.`, response.status, text("error"), text("field"));
  }
  return parsed as T;
}

/** A page of a list as the API answers it (`limit`, `offset`, `next_offset`, and `total` where cheap). */
export interface ListPage<T> {
  items: T[];
  offset: number;
  limit: number;
  total?: number;
  next_offset: number | null;
}

export const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== "") search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
};
