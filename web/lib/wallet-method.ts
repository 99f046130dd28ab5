// The login page's EU Wallet method: start a presentation for the pending request, show its
// QR code and same-device link, and ask the server until the wallet has answered.
import { postJson, type ApiAnswer } from "./api.ts";
import { byId, showMessage } from "./dom.ts";

const POLL_MS = 1000;
/** The page's secret for each transaction it started, kept where another tab of this browser (the one the wallet opens) finds it. */
const SECRET_KEY = (id: string) => `sigil.wallet.${id}`;

/**
 * Same-device return: the wallet sent the browser back here with the transaction and a single-use
 * response_code in the fragment. Only the browser that started the transaction holds its secret.
 * Returns null when the page was not opened that way.
 */
export async function redeemWalletReturn(): Promise<ApiAnswer | string | null> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const id = fragment.get("wallet_transaction");
  const code = fragment.get("response_code");
  if (!id || !code) return null;
  history.replaceState(null, "", location.pathname + location.search);
  const secret = localStorage.getItem(SECRET_KEY(id));
  if (!secret) return "This wallet sign-in was started in another browser or on another device: finish it there.";
  localStorage.removeItem(SECRET_KEY(id));
  return postJson("/oauth2/v1/wallet-finish", { transaction_id: id, page_secret: secret, response_code: code });
}

export interface WalletMethodHooks {
  returnTo: string | null;
  errorRegion: HTMLElement;
  follow(answer: ApiAnswer): boolean;
  explain(answer: ApiAnswer): string;
}

/** Returns the handler the method tabs call with each method shown; the transaction starts the first time the wallet is shown. */
export function wireWalletMethod(hooks: WalletMethodHooks): (method: string) => void {
  const qr = byId<HTMLImageElement>("wallet-qr");
  const sameDevice = byId<HTMLAnchorElement>("wallet-same-device");
  const status = byId("wallet-status");
  const retry = byId<HTMLButtonElement>("wallet-retry");
  let shown = false;
  let running: { id: string; secret: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const fail = (text: string) => {
    running = null;
    qr.hidden = true;
    sameDevice.hidden = true;
    status.textContent = "";
    showMessage(hooks.errorRegion, text, "error");
    retry.hidden = false;
  };

  const poll = async () => {
    timer = null;
    const current = running;
    if (!current || !shown) return;
    try {
      const answer = await postJson("/oauth2/v1/wallet-finish", { transaction_id: current.id, page_secret: current.secret });
      if (running !== current) return;
      if (answer.status === 202) {
        status.textContent = answer.body.status === "retrieved" ? "Your wallet has the request. Confirm in the wallet." : "Waiting for your wallet…";
        timer = setTimeout(() => void poll(), POLL_MS);
        return;
      }
      localStorage.removeItem(SECRET_KEY(current.id));
      if (hooks.follow(answer)) {
        status.textContent = "Signed in. Returning to the application…";
        return;
      }
      if (answer.status === 409) {
        // The wallet sent this browser back in another tab, which finished the sign-in there.
        running = null;
        qr.hidden = true;
        sameDevice.hidden = true;
        status.textContent = "You are signed in in another tab. You can close this one.";
        return;
      }
      fail(hooks.explain(answer));
    } catch {
      timer = setTimeout(() => void poll(), POLL_MS * 3);
    }
  };

  const start = async () => {
    if (!hooks.returnTo) {
      status.textContent = "Start from an application to sign in.";
      return;
    }
    retry.hidden = true;
    showMessage(hooks.errorRegion, "", "error");
    status.textContent = "Preparing the request…";
    try {
      const answer = await postJson("/oauth2/v1/wallet-start", { return: hooks.returnTo });
      const { transaction_id: id, page_secret: secret, wallet_url: walletUrl, qr_svg: svg } = answer.body;
      if (answer.status !== 201 || typeof id !== "string" || typeof secret !== "string" || typeof walletUrl !== "string" || typeof svg !== "string") {
        return fail(hooks.explain(answer));
      }
      running = { id, secret };
      localStorage.setItem(SECRET_KEY(id), secret);
      qr.src = `data:image/svg+xml;base64,${btoa(svg)}`;
      qr.hidden = false;
      sameDevice.href = walletUrl;
      sameDevice.hidden = false;
      status.textContent = "Waiting for your wallet…";
      timer = setTimeout(() => void poll(), POLL_MS);
    } catch {
      fail("Sign-in is unavailable. Try again later.");
    }
  };

  retry.addEventListener("click", () => void start());

  return (method) => {
    shown = method === "eu-wallet";
    if (!shown) return;
    if (!running && retry.hidden) void start();
    else if (running && timer === null) void poll();
  };
}
