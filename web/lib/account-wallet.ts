// The account page's "EU Wallet" section: link a wallet so that it signs in to this account. The
// link is made once the device the wallet opened on confirms it there (wallet-link.html), which
// names this account: a QR code relayed to someone else's wallet links nothing without its owner.
import { accountCall } from "./account-api.ts";
import { byId, showMessage } from "./dom.ts";

const POLL_MS = 1000;

export function showWalletSection(token: string, linked: number, errorRegion: HTMLElement, notice: HTMLElement): void {
  const status = byId("wallet-link-status");
  const start = byId<HTMLButtonElement>("wallet-link-start");
  const pending = byId("wallet-link-pending");
  const progress = byId("wallet-link-progress");
  const describe = (count: number) => {
    status.textContent = count > 0
      ? `${count} ${count === 1 ? "wallet signs" : "wallets sign"} in to this account.`
      : "No wallet is linked. Link one to sign in with your EU Digital Identity Wallet.";
  };

  const poll = async (id: string, secret: string): Promise<void> => {
    try {
      const answer = await accountCall<{ status: string }>(token, "POST", "/account/v1/wallet/link/finish", { transaction_id: id, page_secret: secret });
      if (answer.status !== "linked") {
        progress.textContent = answer.status === "awaiting_confirmation"
          ? "Your wallet has answered. Confirm the link on the device where your wallet opened."
          : "Waiting for your wallet…";
        setTimeout(() => void poll(id, secret), POLL_MS);
        return;
      }
      linked += 1;
      describe(linked);
      showMessage(notice, "Your wallet is linked: it now signs in to this account.", "info");
    } catch (error) {
      showMessage(errorRegion, (error as Error).message, "error");
    }
    pending.hidden = true;
    start.disabled = false;
  };

  start.addEventListener("click", async () => {
    showMessage(errorRegion, "", "error");
    start.disabled = true;
    try {
      const link = await accountCall<{ transaction_id: string; page_secret: string; wallet_url: string; qr_svg: string }>(token, "POST", "/account/v1/wallet/link");
      byId<HTMLImageElement>("wallet-link-qr").src = `data:image/svg+xml;base64,${btoa(link.qr_svg)}`;
      byId<HTMLAnchorElement>("wallet-link-same-device").href = link.wallet_url;
      progress.textContent = "Waiting for your wallet…";
      pending.hidden = false;
      setTimeout(() => void poll(link.transaction_id, link.page_secret), POLL_MS);
    } catch (error) {
      showMessage(errorRegion, (error as Error).message, "error");
      start.disabled = false;
    }
  });

  describe(linked);
  byId("wallet").hidden = false;
}
