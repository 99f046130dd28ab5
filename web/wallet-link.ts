// The page the wallet opens after it answered a link request (its redirect_uri carries the
// transaction and a single-use response_code in the fragment). It names the account the wallet
// would join and links only when the person here says so: a link QR code relayed to someone else's
// wallet then asks its owner, who declines (OpenID4VP §14.2). The account page finishes the link.
import { postJson } from "./lib/api.ts";
import { byId, showMessage } from "./lib/dom.ts";

const busy = byId("busy");
const question = byId("question");
const errorRegion = byId("error");
const done = byId("done");
const confirm = byId<HTMLButtonElement>("link-confirm");
const cancel = byId<HTMLButtonElement>("link-cancel");

const fragment = new URLSearchParams(location.hash.slice(1));
const transaction = fragment.get("transaction");
const responseCode = fragment.get("response_code");
// The code is a secret: keep it out of the address bar and the history once read.
history.replaceState(null, "", location.pathname);

const messageOf = (body: Record<string, unknown>, fallback: string) => {
  const error = body.error as { message?: unknown } | undefined;
  return typeof error?.message === "string" ? error.message : fallback;
};

async function decide(decision: "link" | "cancel"): Promise<void> {
  confirm.disabled = true;
  cancel.disabled = true;
  const answer = await postJson("/account/v1/wallet/link/confirm", { transaction_id: transaction, response_code: responseCode, decision }).catch(() => null);
  question.hidden = true;
  if (!answer) return showMessage(errorRegion, "Sigil is unavailable. Try again later.", "error");
  if (answer.status !== 200) return showMessage(errorRegion, messageOf(answer.body, "That did not work. Start again from your account page."), "error");
  showMessage(done, decision === "link"
    ? "Confirmed. Your account page finishes the link; you can close this page."
    : "Cancelled. Nothing was linked; you can close this page.", "info");
}

async function show(): Promise<void> {
  if (!transaction || !responseCode) {
    busy.textContent = "";
    return showMessage(errorRegion, "This page opens from your wallet after you link it on your account page.", "error");
  }
  const answer = await postJson("/account/v1/wallet/link/describe", { transaction_id: transaction, response_code: responseCode }).catch(() => null);
  busy.textContent = "";
  if (!answer) return showMessage(errorRegion, "Sigil is unavailable. Try again later.", "error");
  if (answer.status !== 200 || typeof answer.body.username !== "string" || typeof answer.body.tenant !== "string") {
    return showMessage(errorRegion, messageOf(answer.body, "This link request cannot be confirmed. Start again from your account page."), "error");
  }
  byId("link-username").textContent = answer.body.username;
  byId("link-tenant").textContent = answer.body.tenant;
  question.hidden = false;
  confirm.addEventListener("click", () => void decide("link"));
  cancel.addEventListener("click", () => void decide("cancel"));
  confirm.focus();
}

void show();
