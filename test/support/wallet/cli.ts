#!/usr/bin/env bun
/**
 * The test wallet for a person without a phone:
 *   bun test/support/wallet/cli.ts [--state DIR] [--switch NAME]... [--enc A256GCM] [--get] WALLET_URL
 * First run writes DIR/issuer-ca.pem (default DIR: .sigil-test-wallet); trust it on the tenant with
 * `sigil trust add HOST --cert DIR/issuer-ca.pem`. WALLET_URL is the QR code's text.
 */
import { parseArgs } from "node:util";
import { WALLET_SWITCHES, presentToVerifier } from "./wallet.ts";
import type { WalletSwitch } from "./wallet.ts";
import { loadOrCreateWallet } from "./wallet-state.ts";

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    state: { type: "string", default: ".sigil-test-wallet" },
    switch: { type: "string", multiple: true, default: [] },
    enc: { type: "string", default: "A128GCM" },
    get: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
  allowPositionals: true,
});

const walletUrl = positionals[0];
if (values.help || !walletUrl) {
  console.log(`usage: cli.ts [--state DIR] [--switch NAME]... [--enc A128GCM|A256GCM] [--get] WALLET_URL\nswitches: ${WALLET_SWITCHES.join(", ")}`);
  process.exit(values.help ? 0 : 2);
}
const unknown = values.switch.filter((s) => !(WALLET_SWITCHES as readonly string[]).includes(s));
if (unknown.length) {
  console.error(`unknown switch: ${unknown.join(", ")}`);
  process.exit(2);
}
if (values.enc !== "A128GCM" && values.enc !== "A256GCM") {
  console.error("--enc must be A128GCM or A256GCM");
  process.exit(2);
}

const wallet = await loadOrCreateWallet(values.state);
const result = await presentToVerifier(wallet, walletUrl, {
  fetch: (url, init) => fetch(url, init),
  switches: values.switch as WalletSwitch[],
  enc: values.enc,
  forceGet: values.get,
});
console.log(JSON.stringify({ status: result.status, response: result.response, client_id: result.request.payload.client_id }, null, 2));
process.exit(result.status < 400 ? 0 : 1);
