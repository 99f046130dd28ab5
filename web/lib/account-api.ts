// Calls to the account API with the page's bearer token; errors carry the server's sentence.

export class AccountApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export async function accountCall<T = Record<string, unknown>>(token: string, method: string, path: string, body?: Record<string, unknown>): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "omit",
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return {} as T;
  let parsed: { error?: { message?: string } } & Record<string, unknown> = {};
  try {
    parsed = (await response.json()) as typeof parsed;
  } catch {
    // A non-JSON answer is reported by its status.
  }
  if (!response.ok) throw new AccountApiError(parsed.error?.message ?? `The server answered ${response.status}. Try again.`, response.status);
  return parsed as T;
}
