// The single sign-on assertion lives in localStorage at the provider's origin: never in a cookie.
const KEY = "sigil.sso";

export function readSso(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeSso(assertion: string): void {
  try {
    localStorage.setItem(KEY, assertion);
  } catch {
    // Storage disabled: single sign-on simply does not happen.
  }
}

export function clearSso(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}

// Device tokens: proof that this browser signed in as a user before, so that someone else's wrong
// passwords or codes for that account do not slow this browser down. A few users per browser.
const DEVICES = "sigil.devices";
const MAX_DEVICES = 5;

const subjectOf = (token: string): string | null => {
  try {
    const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown };
    return typeof payload.sub === "string" ? payload.sub : null;
  } catch {
    return null;
  }
};

/** The device tokens this browser holds, most recent first, space-separated as the login endpoint takes them. */
export function readDevices(): string | undefined {
  try {
    const tokens = JSON.parse(localStorage.getItem(DEVICES) ?? "[]") as unknown;
    return Array.isArray(tokens) && tokens.length > 0 ? tokens.filter((t) => typeof t === "string").join(" ") : undefined;
  } catch {
    return undefined;
  }
}

export function storeDevice(token: string): void {
  try {
    const sub = subjectOf(token);
    const kept = (readDevices() ?? "").split(" ").filter((t) => t && subjectOf(t) !== sub);
    localStorage.setItem(DEVICES, JSON.stringify([token, ...kept].slice(0, MAX_DEVICES)));
  } catch {
    // Storage disabled: this browser counts as a new device each time.
  }
}
