import { requireTenant } from "../tenant/index.ts";
import { addTrustAnchors, removeTrustAnchor } from "../verifier/manage-trust.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData } from "./open-data.ts";
import { readPemArgument } from "./read-pem.ts";
import { TRUST_LIST_USAGE, trustListCommand } from "./trust-lists.ts";

const USAGE =
  "usage: sigil trust add HOST --cert PEM [--leaf] | trust list HOST | trust remove HOST FINGERPRINT" +
  " (--cert is a CA; with --leaf, an end-entity certificate trusted only as the exact signer)" +
  ` | ${TRUST_LIST_USAGE}`;

/**
 * Trust anchors for credential and status-list issuers (verifier/manage-trust.ts decides what is
 * accepted, for this command and the admin API alike). Chains are judged by keys and signatures
 * against these anchors, never by names.
 */
export async function trustCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub?.startsWith("list-")) return trustListCommand(sub, args);
  if (sub === "add") {
    const { values, positionals } = parseCommand(args, { cert: { type: "string" }, leaf: { type: "boolean" } }, ["HOST"]);
    const pem = readPemArgument(values.cert, "--cert");
    const { config, store } = openData(values);
    const results = await addTrustAnchors(store, positionals[0]!, pem, values.leaf ?? false).catch((error: Error) => {
      throw new CliError(`--cert: ${error.message}`);
    });
    for (const { certificate, added } of results) {
      if (added) await auditAdminChange(config, positionals[0]!.toLowerCase(), "trust.add", { fingerprint: certificate.fingerprint, subject: certificate.subject });
      const expired = certificate.notAfter.getTime() < Date.now() ? " (expired!)" : "";
      console.log(`${added ? "trusted" : "already trusted"}: ${certificate.subject} ${certificate.fingerprint}${expired}`);
    }
    return;
  }
  if (sub === "list") {
    const { values, positionals } = parseCommand(args, {}, ["HOST"]);
    const { store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    for (const anchor of await store.verifiers.trustAnchors(tenant.host)) console.log(`${anchor.fingerprint}\t${anchor.subject}`);
    return;
  }
  if (sub === "remove") {
    const { values, positionals } = parseCommand(args, {}, ["HOST", "FINGERPRINT"]);
    const { config, store } = openData(values);
    await removeTrustAnchor(store, positionals[0]!, positionals[1]!);
    await auditAdminChange(config, positionals[0]!.toLowerCase(), "trust.remove", { fingerprint: positionals[1] });
    console.log(`no longer trusted: ${positionals[1]}`);
    return;
  }
  throw new CliError(USAGE);
}
