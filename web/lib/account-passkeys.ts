// The account page's "Passkeys" section: list with label, created, last used and backup state;
// add (a WebAuthn registration ceremony through @simplewebauthn/browser), rename, remove.
import { browserSupportsWebAuthn, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { accountCall } from "./account-api.ts";
import { byId, showMessage } from "./dom.ts";
import { explainPasskeyError } from "./passkey.ts";

interface PasskeyView {
  id: string;
  label: string;
  created_at: number;
  last_used_at: number | null;
  backed_up: boolean;
  backup_eligible: boolean;
}

const when = (seconds: number | null) => (seconds === null ? "never" : new Date(seconds * 1000).toLocaleString());

export async function showPasskeySection(token: string, errorRegion: HTMLElement, notice: HTMLElement): Promise<void> {
  const list = byId("passkey-list");
  const empty = byId("passkeys-empty");
  const form = byId<HTMLFormElement>("passkey-add-form");
  const add = byId<HTMLButtonElement>("passkey-add");
  const labelInput = byId<HTMLInputElement>("passkey-label");

  const fail = (error: unknown) => showMessage(errorRegion, (error as Error).message, "error");

  const render = async () => {
    const { passkeys } = await accountCall<{ passkeys: PasskeyView[] }>(token, "GET", "/account/v1/passkeys");
    list.replaceChildren(...passkeys.map(item));
    empty.hidden = passkeys.length > 0;
  };

  const item = (passkey: PasskeyView): HTMLLIElement => {
    const li = document.createElement("li");
    const name = Object.assign(document.createElement("strong"), { textContent: passkey.label });
    const backup = passkey.backed_up ? "backed up" : passkey.backup_eligible ? "not backed up yet" : "on this authenticator only";
    const facts = Object.assign(document.createElement("p"), {
      className: "facts-line", textContent: `Added ${when(passkey.created_at)} · last used ${when(passkey.last_used_at)} · ${backup}`,
    });
    const rename = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Rename" });
    rename.setAttribute("aria-label", `Rename ${passkey.label}`);
    rename.addEventListener("click", async () => {
      const label = window.prompt("New name for this passkey", passkey.label);
      if (label === null || label.trim() === passkey.label) return;
      try {
        await accountCall(token, "PATCH", `/account/v1/passkeys/${encodeURIComponent(passkey.id)}`, { label: label.trim() });
        await render();
        showMessage(notice, "Passkey renamed.", "info");
      } catch (error) {
        fail(error);
      }
    });
    const remove = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove ${passkey.label}`);
    remove.addEventListener("click", async () => {
      if (!window.confirm(`Remove the passkey "${passkey.label}"? It will no longer sign you in.`)) return;
      showMessage(errorRegion, "", "error");
      try {
        await accountCall(token, "DELETE", `/account/v1/passkeys/${encodeURIComponent(passkey.id)}`);
        await render();
        showMessage(notice, "Passkey removed.", "info");
      } catch (error) {
        fail(error);
      }
    });
    li.append(name, facts, rename, remove);
    return li;
  };

  if (!browserSupportsWebAuthn()) {
    add.disabled = true;
    add.textContent = "This browser cannot make passkeys";
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (add.disabled) return;
    showMessage(errorRegion, "", "error");
    add.disabled = true;
    try {
      const started = await accountCall<{ challenge_id: string; options: PublicKeyCredentialCreationOptionsJSON }>(token, "POST", "/account/v1/passkeys/registration");
      let credential;
      try {
        credential = await startRegistration({ optionsJSON: started.options });
      } catch (error) {
        throw new Error(explainPasskeyError(error));
      }
      await accountCall(token, "POST", "/account/v1/passkeys", {
        challenge_id: started.challenge_id, credential: JSON.stringify(credential), label: labelInput.value.trim() || "Passkey",
      });
      labelInput.value = "";
      await render();
      showMessage(notice, "Passkey added. You can sign in with it now.", "info");
    } catch (error) {
      fail(error);
    } finally {
      add.disabled = false;
    }
  });

  await render();
  byId("passkeys").hidden = false;
}
