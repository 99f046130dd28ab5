// JSON calls to the provider's own endpoints.

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
}

export async function postJson(path: string, body: Record<string, unknown>): Promise<ApiAnswer> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  let parsed: Record<string, unknown> = {};
  try {
    parsed = (await response.json()) as Record<string, unknown>;
  } catch {
    // An empty or non-JSON answer is reported through its status.
  }
  return { status: response.status, body: parsed, retryAfter: response.headers.get("Retry-After") };
}

export interface LoginConfig {
  tenant: string;
  realm: string;
  methods: string[];
}

export async function loadLoginConfig(): Promise<LoginConfig> {
  const response = await fetch("/oauth2/v1/login-config", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`login-config answered ${response.status}`);
  return (await response.json()) as LoginConfig;
}

/** Puts text into a message region (role=alert or role=status), with a style class. */
export function showMessage(region: HTMLElement, text: string, kind: "error" | "info"): void {
  region.className = `message ${kind}`;
  region.textContent = text;
}
