// What every console page shares: building elements, the confirmation dialog, the one-time secret
// panel, and putting an API error beside the field it names. Text goes in as textContent only:
// user names, URIs and audit fields are data, never markup.
import { AdminApiError } from "./admin-api.ts";
import { byId, showMessage } from "./dom.ts";

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** The page's live region for outcomes ("Saved."), and its alert region for failures outside any form. */
export function notify(text: string, kind: "info" | "error" = "info"): void {
  showMessage(byId(kind === "info" ? "notice" : "error"), text, kind);
}

/**
 * Asks before a destructive action in a modal <dialog>: focus goes to Cancel (the safe choice),
 * Escape cancels, and focus returns to the button that asked.
 */
export function confirmAction(question: string, confirmLabel: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>("confirm-dialog");
  const opener = document.activeElement as HTMLElement | null;
  byId("confirm-text").textContent = question;
  byId("confirm-ok").textContent = confirmLabel;
  dialog.returnValue = "cancel";
  dialog.showModal();
  byId("confirm-cancel").focus();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      opener?.focus();
      resolve(dialog.returnValue === "confirm");
    }, { once: true });
  });
}

/** Shows a secret the server will never show again, with a copy button; "Done" wipes it from the page. */
export function showSecret(what: string, secret: string): void {
  const panel = byId("secret-panel");
  byId("secret-what").textContent = what;
  byId("secret-value").textContent = secret;
  byId("secret-copied").textContent = "";
  panel.hidden = false;
  byId("secret-copy").focus();
}

export function wireSecretPanel(): void {
  const panel = byId("secret-panel");
  byId("secret-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(byId("secret-value").textContent ?? "");
      byId("secret-copied").textContent = "Copied.";
    } catch {
      byId("secret-copied").textContent = "Copying is not allowed here: select the text and copy it.";
    }
  });
  byId("secret-done").addEventListener("click", () => {
    byId("secret-value").textContent = "";
    panel.hidden = true;
  });
}

export function clearFieldErrors(form: HTMLFormElement): void {
  for (const message of form.querySelectorAll(".field-error")) message.remove();
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    const described = (field.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && !id.endsWith("-problem")).join(" ");
    if (described) field.setAttribute("aria-describedby", described);
    else field.removeAttribute("aria-describedby");
  }
  const region = form.querySelector<HTMLElement>(".form-error");
  if (region) showMessage(region, "", "error");
}

/** An API error goes beside the input named like the API's `field`; otherwise into the form's own error line. */
export function showFormError(form: HTMLFormElement, error: unknown): void {
  const message = error instanceof Error ? error.message : "Something went wrong. Try again.";
  const name = error instanceof AdminApiError && error.field ? CSS.escape(error.field) : null;
  // `data-field` names the API member an input feeds when the two differ (a password feeds `ha1`).
  const field = name ? form.querySelector<HTMLElement>(`[data-field="${name}"], [name="${name}"]`) : null;
  if (field) {
    const id = `${field.id || name}-problem`;
    const line = el("p", { class: "field-error", id }, message);
    (field.closest(".field-group") ?? field).after(line);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    field.focus();
    return;
  }
  const region = form.querySelector<HTMLElement>(".form-error");
  if (region) showMessage(region, message, "error");
  else notify(message, "error");
}

/** Submits a form through `handler`, one submission at a time; its errors land beside their fields. */
export function onSubmit(form: HTMLFormElement, handler: (data: FormData) => Promise<void>): void {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    clearFieldErrors(form);
    form.setAttribute("aria-busy", "true");
    try {
      await handler(new FormData(form));
    } catch (error) {
      showFormError(form, error);
    } finally {
      form.removeAttribute("aria-busy");
    }
  });
}

/** A button that does `action`, reporting a failure in the page's alert region. */
export function button(label: string, action: () => Promise<void>, className = "secondary small"): HTMLButtonElement {
  const element = el("button", { type: "button", class: className }, label);
  // Busy by attribute, not `disabled`: a disabled button drops the focus, which the dialog gives back to it.
  element.addEventListener("click", async () => {
    if (element.getAttribute("aria-busy") === "true") return;
    element.setAttribute("aria-busy", "true");
    try {
      await action();
    } catch (error) {
      notify(error instanceof Error ? error.message : "Something went wrong.", "error");
    } finally {
      element.removeAttribute("aria-busy");
    }
  });
  return element;
}

/** A problem found before anything is sent, shown beside its field as the API's would be. */
export const problem = (message: string, field: string) => new AdminApiError(message, 400, "invalid_input", field);

/** Lines of a textarea, trimmed, without blanks. */
export const lines = (text: FormDataEntryValue | null): string[] => String(text ?? "").split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
/** Space- or comma-separated words. */
export const words = (text: FormDataEntryValue | null): string[] => String(text ?? "").split(/[\s,]+/).map((word) => word.trim()).filter(Boolean);
export const text = (data: FormData, name: string): string => String(data.get(name) ?? "").trim();
export const when = (iso: unknown): string => (typeof iso === "string" ? iso.replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—");
