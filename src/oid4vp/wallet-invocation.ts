/**
 * The URL that opens a wallet (QR code or same-device link) and its QR SVG.
 * The scheme is configurable because wallets differ: `openid4vp` (§13.1.2),
 * `haip-vp` (HAIP), `eudi-openid4vp` (the EU reference wallet), or a full
 * https authorization endpoint (the OIDF suite).
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-13.1.2
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.10
 */
import QRCode from "qrcode";

export const WALLET_SCHEMES = ["openid4vp", "haip-vp", "eudi-openid4vp"] as const;
export type WalletScheme = (typeof WALLET_SCHEMES)[number];

export interface WalletUrlOptions {
  /** A scheme name (`openid4vp`) or an absolute authorization endpoint URL. */
  scheme?: WalletScheme | string;
  clientId: string;
  requestUri: string;
  /** `post` lets the wallet send wallet_metadata and wallet_nonce (default). */
  requestUriMethod?: "get" | "post";
}

/** @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-5.10 */
export function buildWalletUrl(options: WalletUrlOptions): string {
  const scheme = options.scheme ?? "openid4vp";
  const base = /^[a-z][a-z0-9+.-]*$/i.test(scheme) ? `${scheme}://` : new URL(scheme).toString();
  const query = new URLSearchParams({ client_id: options.clientId, request_uri: options.requestUri });
  if ((options.requestUriMethod ?? "post") === "post") query.set("request_uri_method", "post");
  return `${base}${base.includes("?") ? "&" : "?"}${query.toString()}`;
}

/** The wallet URL as an SVG QR code (error correction M survives a phone camera at an angle). */
export function walletQrSvg(walletUrl: string): Promise<string> {
  return QRCode.toString(walletUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
