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
