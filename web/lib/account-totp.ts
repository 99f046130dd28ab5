// The account page's "Authenticator app" section: enrol (QR or key, then one code), show
// recovery codes once, make new ones, or turn the app off.
import { accountCall } from "./account-api.ts";
import { byId, showMessage } from "./dom.ts";

export interface TotpState {
  enrolled: boolean;
  recovery_codes_left: number;
}

export function showTotpSection(token: string, state: TotpState, errorRegion: HTMLElement, notice: HTMLElement): void {
  const status = byId("totp-status");
  const off = byId("totp-off");
  const enrol = byId("totp-enrol");
  const on = byId("totp-on");
  const codesBox = byId("recovery-codes");
  const codeInput = byId<HTMLInputElement>("totp-code");

  const render = (current: TotpState) => {
    status.textContent = current.enrolled
      ? `On: signing in with your password also asks for a code. ${current.recovery_codes_left} recovery ${current.recovery_codes_left === 1 ? "code" : "codes"} left.`
      : "Off: add an app such as FreeOTP or Aegis to ask for a code after your password.";
    off.hidden = current.enrolled;
    on.hidden = !current.enrolled;
    enrol.hidden = true;
  };

  const showCodes = (codes: string[]) => {
    const list = byId("recovery-code-list");
    list.replaceChildren(...codes.map((code) => Object.assign(document.createElement("li"), { textContent: code })));
    codesBox.hidden = false;
  };

  const guard = (button: HTMLButtonElement, action: () => Promise<void>) => async () => {
    showMessage(errorRegion, "", "error");
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      showMessage(errorRegion, (error as Error).message, "error");
    } finally {
      button.disabled = false;
    }
  };

  const start = byId<HTMLButtonElement>("totp-start");
  start.addEventListener("click", guard(start, async () => {
    const enrolment = await accountCall<{ secret: string; qr_svg: string }>(token, "POST", "/account/v1/totp/enrolment");
    byId<HTMLImageElement>("totp-qr").src = `data:image/svg+xml;base64,${btoa(enrolment.qr_svg)}`;
    byId("totp-secret").textContent = enrolment.secret.replace(/(.{4})/g, "$1 ").trim();
    off.hidden = true;
    enrol.hidden = false;
    codeInput.value = "";
    codeInput.focus();
  }));

  const confirm = byId<HTMLButtonElement>("totp-confirm");
  byId<HTMLFormElement>("totp-confirm-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void guard(confirm, async () => {
      const { recovery_codes } = await accountCall<{ recovery_codes: string[] }>(token, "POST", "/account/v1/totp/enrolment/confirm", { code: codeInput.value.trim() });
      render({ enrolled: true, recovery_codes_left: recovery_codes.length });
      showCodes(recovery_codes);
      showMessage(notice, "The authenticator app is on.", "info");
    })();
  });

  const newCodes = byId<HTMLButtonElement>("totp-new-codes");
  newCodes.addEventListener("click", guard(newCodes, async () => {
    const { recovery_codes } = await accountCall<{ recovery_codes: string[] }>(token, "POST", "/account/v1/totp/recovery-codes");
    render({ enrolled: true, recovery_codes_left: recovery_codes.length });
    showCodes(recovery_codes);
    showMessage(notice, "New recovery codes made; the old ones no longer work.", "info");
  }));

  const remove = byId<HTMLButtonElement>("totp-remove");
  remove.addEventListener("click", guard(remove, async () => {
    if (!window.confirm("Turn off the authenticator app? Signing in will ask only for your password.")) return;
    await accountCall(token, "DELETE", "/account/v1/totp");
    codesBox.hidden = true;
    render({ enrolled: false, recovery_codes_left: 0 });
    showMessage(notice, "The authenticator app is off.", "info");
  }));

  render(state);
  byId("totp").hidden = false;
}
