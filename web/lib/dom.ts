// Small DOM helpers shared by the pages: a missing element is a page/script mismatch, so fail loudly.

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Puts text into a message region (role=alert or role=status); an empty text hides it. */
export function showMessage(region: HTMLElement, text: string, kind: "error" | "info"): void {
  region.className = `message ${kind}`;
  region.textContent = text;
}
