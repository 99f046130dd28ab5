// The login page's EU Wallet method. Shown, it starts a cross-device transaction and shows its QR
// code; "Open the wallet on this device" starts a same-device one and opens its wallet URL. The
// page asks the server about both once a second. A same-device sign-in completes only in the tab
// the wallet sends back with its response_code (OpenID4VP §14.2): polling never completes it.
// Where the browser has the Digital Credentials API, "Use a wallet on this device" goes through it.
import { postJson, type ApiAnswer } from "./api.ts";
import { dcApiAvailable, signInWithDcApi } from "./dc-api-method.ts";
import { byId, showMessage } from "./dom.ts";

const POLL_MS = 1000;
/** The page's secret for each transaction it started, kept where another tab of this browser (the one the wallet opens) finds it. */
const SECRET_KEY = (id: string) => `sigil.wallet.${id}`;

type Flow = "cross_device" | "same_device";

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

const WAITING: Record<string, string> = {
  retrieved: "Your wallet has the request. Confirm in the wallet.",
  answered: "Your wallet has answered. Continue in the browser window it opened.",
};

/** Returns the handler the method tabs call with each method shown; the QR code's transaction starts the first time the wallet is shown. */
export function wireWalletMethod(hooks: WalletMethodHooks): (method: string) => void {
  const qr = byId<HTMLImageElement>("wallet-qr");
  const sameDevice = byId<HTMLButtonElement>("wallet-same-device");
  const dcApi = byId<HTMLButtonElement>("wallet-dc-api");
  const openLink = byId<HTMLAnchorElement>("wallet-open-link");
  const status = byId("wallet-status");
  const retry = byId<HTMLButtonElement>("wallet-retry");
  let shown = false;
  const running = new Map<Flow, { id: string; secret: string }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let polling = false;

  const stop = (text: string) => {
    running.clear();
    qr.hidden = true;
    sameDevice.hidden = true;
    dcApi.hidden = true;
    openLink.hidden = true;
    status.textContent = text;
  };
  const fail = (text: string) => {
    stop("");
    showMessage(hooks.errorRegion, text, "error");
    retry.hidden = false;
  };
  const schedule = (delay = POLL_MS) => {
    timer = setTimeout(() => void poll(), delay);
  };

  const poll = async () => {
    timer = null;
    if (running.size === 0 || !shown || polling) return;
    polling = true;
    try {
      for (const [flow, current] of [...running]) {
        const answer = await postJson("/oauth2/v1/wallet-finish", { transaction_id: current.id, page_secret: current.secret });
        if (running.get(flow) !== current) return;
        if (answer.status === 202) {
          status.textContent = WAITING[String(answer.body.status)] ?? (running.has("same_device") ? "Waiting for your wallet on this device…" : "Waiting for your wallet…");
          continue;
        }
        localStorage.removeItem(SECRET_KEY(current.id));
        if (hooks.follow(answer)) {
          stop("Signed in. Returning to the application…");
          return;
        }
        // 409: the wallet sent this browser back in another tab, which finished the sign-in there.
        if (answer.status === 409) return stop("You are signed in in another tab. You can close this one.");
        return fail(hooks.explain(answer));
      }
      schedule();
    } catch {
      schedule(POLL_MS * 3);
    } finally {
      polling = false;
    }
  };

  const begin = async (flow: Flow): Promise<string | null> => {
    const answer = await postJson("/oauth2/v1/wallet-start", { return: hooks.returnTo, flow });
    const { transaction_id: id, page_secret: secret, wallet_url: walletUrl, qr_svg: svg } = answer.body;
    if (answer.status !== 201 || typeof id !== "string" || typeof secret !== "string" || typeof walletUrl !== "string" || typeof svg !== "string") {
      fail(hooks.explain(answer));
      return null;
    }
    running.set(flow, { id, secret });
    localStorage.setItem(SECRET_KEY(id), secret);
    if (flow === "cross_device") qr.src = `data:image/svg+xml;base64,${btoa(svg)}`;
    if (timer === null && !polling) schedule();
    return walletUrl;
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
      if ((await begin("cross_device")) === null) return;
      qr.hidden = false;
      sameDevice.hidden = false;
      dcApi.hidden = !dcApiAvailable();
      status.textContent = "Waiting for your wallet…";
    } catch {
      fail("Sign-in is unavailable. Try again later.");
    }
  };

  // A transaction of its own, opened here: the wallet returns to this browser with its response_code.
  sameDevice.addEventListener("click", async () => {
    sameDevice.disabled = true;
    try {
      const walletUrl = await begin("same_device");
      if (walletUrl === null) return;
      openLink.href = walletUrl;
      openLink.hidden = false;
      status.textContent = "Opening your wallet…";
      location.assign(walletUrl);
    } catch {
      fail("Sign-in is unavailable. Try again later.");
    } finally {
      sameDevice.disabled = false;
    }
  });
  // The browser's own wallet picker; the QR code stays for a wallet the browser cannot reach.
  dcApi.addEventListener("click", async () => {
    if (!hooks.returnTo || dcApi.disabled) return;
    dcApi.disabled = true;
    showMessage(hooks.errorRegion, "", "error");
    status.textContent = "Choose your wallet in your browser's window…";
    try {
      const outcome = await signInWithDcApi(hooks.returnTo, hooks.explain);
      if (outcome.kind === "cancelled") {
        status.textContent = "Waiting for your wallet…";
        return;
      }
      if (outcome.kind === "failed") return fail(outcome.message);
      if (hooks.follow(outcome.answer)) return stop("Signed in. Returning to the application…");
      if (outcome.answer.status === 409) return stop("You are signed in in another tab. You can close this one.");
      fail(hooks.explain(outcome.answer));
    } catch {
      fail("Sign-in is unavailable. Try again later.");
    } finally {
      dcApi.disabled = false;
    }
  });
  retry.addEventListener("click", () => void start());

  return (method) => {
    shown = method === "eu-wallet";
    if (!shown) return;
    if (running.size === 0 && retry.hidden) void start();
    else if (running.size > 0 && timer === null) void poll();
  };
}
