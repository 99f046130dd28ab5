// JSON calls to the provider's own endpoints. `credentials: "omit"` states the design: no cookies.

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
}

/** Posts JSON; throws only when the server cannot be reached (fetch's network failure). */
export async function postJson(path: string, body: Record<string, unknown>): Promise<ApiAnswer> {
  const response = await fetch(path, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // An empty or non-JSON answer (a proxy's error page) is reported through its status.
  }
  const record = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { status: response.status, body: record, retryAfter: response.headers.get("Retry-After") };
}

export interface LoginConfig {
  tenant: string;
  realm: string;
  methods: string[];
}

export async function loadLoginConfig(): Promise<LoginConfig> {
  const response = await fetch("/oauth2/v1/login-config", { credentials: "omit", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`login-config answered ${response.status}`);
  const body = (await response.json()) as Partial<LoginConfig>;
  // The realm goes into every HA1: a wrong one would make every password look wrong.
  if (typeof body.realm !== "string" || typeof body.tenant !== "string" || !Array.isArray(body.methods)) {
    throw new Error("login-config is malformed");
  }
  return { tenant: body.tenant, realm: body.realm, methods: body.methods.filter((m): m is string => typeof m === "string") };
}
