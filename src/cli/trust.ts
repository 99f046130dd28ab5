import { nowSeconds } from "../lib/time.ts";
import { readCertificates, trustAnchorProblem } from "../oid4vp/index.ts";
import { requireTenant } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData } from "./open-data.ts";
import { readPemArgument } from "./read-pem.ts";

const USAGE =
  "usage: sigil trust add HOST --cert PEM [--leaf] | trust list HOST | trust remove HOST FINGERPRINT" +
  " (--cert is a CA; with --leaf, an end-entity certificate trusted only as the exact signer)";

/**
 * Trust anchors for credential and status-list issuers. A running server sees a change at once.
 * Chains are judged by keys and signatures against these anchors, never by names. An anchor is a
 * CA unless the operator says `--leaf`: then it is trusted only as the exact signing certificate,
 * never as the issuer of another. Unusable anchors (unsupported key, a CA without keyCertSign) are
 * refused here, before anything is stored, so they never reach the tenant's trust store.
 */
export async function trustCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === "add") {
    const { values, positionals } = parseCommand(args, { cert: { type: "string" }, leaf: { type: "boolean" } }, ["HOST"]);
    const pem = readPemArgument(values.cert, "--cert");
    let certificates;
    try {
      certificates = await readCertificates(pem);
    } catch (error) {
      throw new CliError(`--cert: ${(error as Error).message}`);
    }
    // All or nothing: a bundle with one unusable certificate adds none of them.
    for (const certificate of certificates) {
      const problem = await trustAnchorProblem(certificate.pem, values.leaf ? "leaf" : "ca");
      if (problem) throw new CliError(`--cert: ${certificate.subject} cannot be a trust anchor: ${problem}`);
    }
    const { config, store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    for (const certificate of certificates) {
      const added = await store.verifiers.addTrustAnchor({
        tenant: tenant.host, fingerprint: certificate.fingerprint, pem: certificate.pem, subject: certificate.subject, addedAt: nowSeconds(),
      });
      if (added) await auditAdminChange(config, tenant.host, "trust.add", { fingerprint: certificate.fingerprint, subject: certificate.subject });
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
    const tenant = await requireTenant(store, positionals[0]!);
    if (!(await store.verifiers.removeTrustAnchor(tenant.host, positionals[1]!))) throw new CliError(`${tenant.host} has no trust anchor ${positionals[1]}`);
    await auditAdminChange(config, tenant.host, "trust.remove", { fingerprint: positionals[1] });
    console.log(`no longer trusted: ${positionals[1]}`);
    return;
  }
  throw new CliError(USAGE);
}
