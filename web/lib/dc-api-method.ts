// "Use a wallet on this device" through the W3C Digital Credentials API: the browser's own wallet
// picker, on this device or a phone nearby, with the page's Origin vouched for by the browser. The
// page asks Sigil for a signed OpenID4VP request (wallet-start, flow dc_api), hands it to
// navigator.credentials.get, posts what comes back with the transaction's secret, and completes
// the sign-in as after a QR code (wallet-finish).
import { postJson, type ApiAnswer } from "./api.ts";

/** OpenID4VP 1.0 Appendix A.1: the signed request, the one Sigil makes. */
const PROTOCOL = "openid4vp-v1-signed";

interface DigitalCredentialLike {
  protocol: string;
  data: Record<string, unknown>;
}
interface DigitalCredentialStatic {
  userAgentAllowsProtocol?: (protocol: string) => boolean;
}

/**
 * Feature detection as the W3C draft shows it: `typeof DigitalCredential !== "undefined"`, then
 * `DigitalCredential.userAgentAllowsProtocol(protocol)` where the browser has it (early versions
 * of the API shipped without it, and then allowed OpenID4VP).
 */
export function dcApiAvailable(): boolean {
  const global = globalThis as { DigitalCredential?: DigitalCredentialStatic };
  if (typeof global.DigitalCredential === "undefined" || typeof navigator.credentials?.get !== "function") return false;
  const allows = global.DigitalCredential.userAgentAllowsProtocol;
  try {
    return typeof allows === "function" ? allows.call(global.DigitalCredential, PROTOCOL) : true;
  } catch {
    return false;
  }
}

/** How one attempt ended: an answer to follow or explain, the person's cancel, or a failure to say in words. */
export type DcApiOutcome = { kind: "answer"; answer: ApiAnswer } | { kind: "cancelled" } | { kind: "failed"; message: string };

/**
 * One attempt: start, ask the browser, deliver, complete.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#appendix-A
 */
export async function signInWithDcApi(returnTo: string, explain: (answer: ApiAnswer) => string): Promise<DcApiOutcome> {
  const started = await postJson("/oauth2/v1/wallet-start", { return: returnTo, flow: "dc_api" });
  const { transaction_id: id, page_secret: secret, dc_api_request: request } = started.body;
  if (started.status !== 201 || typeof id !== "string" || typeof secret !== "string" || !request || typeof request !== "object") {
    return { kind: "failed", message: explain(started) };
  }
  let credential: DigitalCredentialLike | null;
  try {
    const options = { digital: { requests: [request] } } as CredentialRequestOptions;
    credential = (await navigator.credentials.get(options)) as unknown as DigitalCredentialLike | null;
  } catch (error) {
    // NotAllowedError / AbortError: the person closed the picker, or no wallet could answer.
    const name = (error as { name?: string }).name;
    return name === "NotAllowedError" || name === "AbortError" ? { kind: "cancelled" } : { kind: "failed", message: "Your browser could not reach a wallet. Scan the code instead." };
  }
  if (!credential || typeof credential.protocol !== "string" || !credential.data || typeof credential.data !== "object") return { kind: "cancelled" };
  // The answer's members as the server reads them: JWE and error strings as they are, a vp_token object as JSON.
  const body: Record<string, unknown> = { page_secret: secret, protocol: credential.protocol };
  for (const name of ["response", "vp_token", "error", "error_description"]) {
    const value = credential.data[name];
    if (value !== undefined) body[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const delivered = await postJson(`/oid4vp/v1/dc-response/${encodeURIComponent(id)}`, body);
  if (delivered.status !== 200) return { kind: "failed", message: explainRefusal(delivered, explain) };
  return { kind: "answer", answer: await postJson("/oauth2/v1/wallet-finish", { transaction_id: id, page_secret: secret }) };
}

function explainRefusal(answer: ApiAnswer, explain: (answer: ApiAnswer) => string): string {
  const description = answer.body.error_description;
  return typeof description === "string" && description ? `The wallet's answer was not accepted: ${description}. Try again.` : explain(answer);
}
