// The EU Wallet verifier: its policy (client_id prefix, wallet scheme, sign-up, default DCQL
// query), its access certificate (the private key goes in once and is sealed), and trust anchors.
import { adminCall, type ListPage } from "../lib/admin-api.ts";
import { button, confirmAction, el, notify, onSubmit, problem, text, when } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";

interface VerifierJson {
  certificate: string | null;
  client_id_prefix: string;
  wallet_scheme: string;
  dcql_query: unknown;
  wallet_signup: boolean;
  trust_anchors: number;
}
interface AnchorJson { fingerprint: string; subject: string; added_at: string }

export async function loadVerifier(): Promise<void> {
  const [verifier, anchors] = await Promise.all([adminCall<VerifierJson>("GET", "/verifier"), adminCall<ListPage<AnchorJson>>("GET", "/trust-anchors?limit=200")]);
  const facts = byId("verifier-facts");
  facts.replaceChildren(el("dt", {}, "Access certificate"), el("dd", {}, verifier.certificate ?? "None installed"), el("dt", {}, "Trust anchors"), el("dd", {}, String(verifier.trust_anchors)));
  byId<HTMLSelectElement>("verifier-prefix").value = verifier.client_id_prefix;
  byId<HTMLInputElement>("verifier-scheme").value = verifier.wallet_scheme;
  byId<HTMLInputElement>("verifier-signup").checked = verifier.wallet_signup;
  byId<HTMLTextAreaElement>("verifier-dcql").value = verifier.dcql_query === null ? "" : JSON.stringify(verifier.dcql_query, null, 2);
  byId("trust-list").replaceChildren(...(anchors.items.length === 0 ? [el("li", { class: "status" }, "No trust anchors: no credential can be verified.")] : anchors.items.map((anchor) => el("li", {},
    el("strong", {}, anchor.subject), el("p", { class: "facts-line" }, `SHA-256 ${anchor.fingerprint}, added ${when(anchor.added_at)}`),
    button("Remove", async () => {
      if (!(await confirmAction(`Stop trusting ${anchor.subject}? Credentials it signed no longer verify.`, "Remove trust anchor"))) return;
      await adminCall("DELETE", `/trust-anchors/${encodeURIComponent(anchor.fingerprint)}`);
      notify("The trust anchor was removed.");
      await loadVerifier();
    }),
  ))));
}

export function wireVerifier(): void {
  onSubmit(byId<HTMLFormElement>("verifier-form"), async (data) => {
    const source = text(data, "dcql_query");
    let dcql: unknown = null;
    if (source) {
      try {
        dcql = JSON.parse(source);
      } catch {
        throw problem("This is not JSON.", "dcql_query");
      }
    }
    await adminCall("PATCH", "/verifier", { client_id_prefix: text(data, "client_id_prefix"), wallet_scheme: text(data, "wallet_scheme"), wallet_signup: data.get("wallet_signup") === "on", dcql_query: dcql });
    notify("The verifier settings were saved.");
    await loadVerifier();
  });
  const certificateForm = byId<HTMLFormElement>("verifier-cert-form");
  onSubmit(certificateForm, async (data) => {
    const answer = await adminCall<{ subject: string | null; warnings: string[] }>("PUT", "/verifier/certificate", { certificate_chain_pem: text(data, "certificate_chain_pem"), private_key_pem: text(data, "private_key_pem") });
    certificateForm.reset(); // The private key should not linger in the page.
    notify(`The access certificate ${answer.subject ?? ""} was installed.${answer.warnings.length ? ` ${answer.warnings.join(" ")}` : ""}`);
    await loadVerifier();
  });
  const trustForm = byId<HTMLFormElement>("trust-form");
  onSubmit(trustForm, async (data) => {
    const answer = await adminCall<{ items: { subject: string; added: boolean; expired: boolean }[] }>("POST", "/trust-anchors", { pem: text(data, "pem"), leaf: data.get("leaf") === "on" });
    trustForm.reset();
    notify(answer.items.map((item) => `${item.subject}: ${item.added ? "added" : "already trusted"}${item.expired ? " (expired)" : ""}.`).join(" "));
    await loadVerifier();
  });
}
