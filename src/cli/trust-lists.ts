import { readFileSync } from "node:fs";
import { AuditLog } from "../audit/index.ts";
import { nowSeconds } from "../lib/time.ts";
import { requireTenant } from "../tenant/index.ts";
import { TrustedListRefresher } from "../verifier/trusted-list-refresh.ts";
import { addTrustedList, listTrustedLists, removeTrustedList, viewOf } from "../verifier/trusted-list-subscriptions.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData } from "./open-data.ts";
import { readPemArgument } from "./read-pem.ts";

export const TRUST_LIST_USAGE =
  "trust list-add HOST --url URL|--file PATH --signer-cert CERT.pem --service-type PIDProvider|PubEAAProvider|QEAAProvider|WalletProvider|WRPACProvider|QCertESig [--vct PATTERN] [--doctype PATTERN]" +
  " | trust list-list HOST | trust list-refresh HOST ID | trust list-remove HOST ID";

/**
 * Trusted-list subscriptions (ETSI TS 119 612 lists and TS 119 602 LoTEs): the list's providers of
 * one service type become anchors for the credential types given (a PID list: the PID by default).
 * `list-add` fetches and verifies the list at once and says what it found; a running server keeps it current.
 */
export async function trustListCommand(sub: string, args: string[]): Promise<void> {
  if (sub === "list-add") {
    const { values, positionals } = parseCommand(args, {
      url: { type: "string" }, file: { type: "string" }, "signer-cert": { type: "string" }, "service-type": { type: "string" }, vct: { type: "string" }, doctype: { type: "string" },
    }, ["HOST"]);
    if (!values["service-type"]) throw new CliError("--service-type is required");
    const signerPem = readPemArgument(values["signer-cert"], "--signer-cert");
    const document = values.file ? readListFile(values.file) : null;
    const { config, store } = openData(values);
    const record = await addTrustedList(store, positionals[0]!, {
      url: values.url ?? null, document, signerPem, serviceType: values["service-type"], vct: values.vct, doctype: values.doctype, allowHttp: config.allowHttpFetch,
    }).catch((error: Error) => {
      throw new CliError(error.message);
    });
    await auditAdminChange(config, record.tenant, "trust.list_add", { list_id: record.id, url: record.url, service_type: record.serviceType });
    console.log(`subscribed: ${record.id} ${record.url ?? values.file} (${record.serviceType} for ${JSON.parse(record.scopesJson).map((s: { pattern: string }) => s.pattern).join(", ")})`);
    await refreshNow(config, store, record.tenant, record.id);
    return;
  }
  if (sub === "list-list") {
    const { values, positionals } = parseCommand(args, {}, ["HOST"]);
    const { store } = openData(values);
    for (const view of await listTrustedLists(store, positionals[0]!)) {
      const state = view.in_force ? `${view.anchors} anchor(s) until ${new Date(view.next_update! * 1000).toISOString()}` : "NOT IN FORCE";
      console.log(`${view.id}\t${view.service_type}\t${view.scopes.map((s) => `${s.kind}=${s.pattern}`).join(",")}\t${view.url ?? "(file)"}\t${state}${view.last_error ? `\tlast error: ${view.last_error}` : ""}`);
    }
    return;
  }
  if (sub === "list-refresh") {
    const { values, positionals } = parseCommand(args, {}, ["HOST", "ID"]);
    const { config, store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    await refreshNow(config, store, tenant.host, positionals[1]!);
    return;
  }
  if (sub === "list-remove") {
    const { values, positionals } = parseCommand(args, {}, ["HOST", "ID"]);
    const { config, store } = openData(values);
    await removeTrustedList(store, positionals[0]!, positionals[1]!);
    await auditAdminChange(config, positionals[0]!.toLowerCase(), "trust.list_remove", { list_id: positionals[1] });
    console.log(`unsubscribed: ${positionals[1]}`);
    return;
  }
  throw new CliError(`usage: sigil ${TRUST_LIST_USAGE}`);
}

/** Fetches and verifies the list now, so that the operator sees at once whether it works. */
async function refreshNow(config: ReturnType<typeof openData>["config"], store: ReturnType<typeof openData>["store"], tenant: string, id: string): Promise<void> {
  const record = (await store.trustedLists.list(tenant)).find((r) => r.id === id);
  if (!record) throw new CliError(`${tenant} has no trusted list ${id}`);
  const audit = new AuditLog(config.dataDir);
  const ok = await new TrustedListRefresher(store, config, audit).refresh(record, nowSeconds());
  await audit.flush();
  const view = await viewOf((await store.trustedLists.list(tenant)).find((r) => r.id === id)!);
  if (!ok) throw new CliError(`the list could not be verified: ${view.last_error}${view.in_force ? " (the previous verified copy stays in force until its NextUpdate)" : ""}`);
  console.log(`verified: ${view.anchors} anchor(s), next update ${new Date(view.next_update! * 1000).toISOString()}`);
}

function readListFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`--file: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
