import { readFileSync } from "node:fs";
import { requireTenant, TenantInputError } from "../tenant/index.ts";
import { installVerifierCertificate, setClientDcqlQuery, setVerifierPolicy } from "../verifier/manage-settings.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData, openKeyring } from "./open-data.ts";
import { readPemArgument } from "./read-pem.ts";

const USAGE = "usage: sigil verifier set-cert HOST --cert CHAIN_PEM --key KEY_PEM | verifier set HOST [--client-id-prefix x509_hash|x509_san_dns] [--wallet-scheme S] [--dcql FILE | --default-dcql] [--signup on|off] | verifier set HOST --client ID (--dcql FILE | --default-dcql) | verifier show HOST";

/**
 * The tenant's EU Wallet verifier: its access certificate, client_id prefix, wallet URL scheme and
 * default DCQL query. What is accepted is decided in verifier/manage-settings.ts, for this command
 * and the admin API alike; this file reads the command line and files.
 */
export async function verifierCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === "set-cert") {
    const { values, positionals } = parseCommand(args, { cert: { type: "string" }, key: { type: "string" } }, ["HOST"]);
    const chainPem = readPemArgument(values.cert, "--cert");
    const keyPem = readPemArgument(values.key, "--key");
    const { config, store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    const { subject, warnings } = await installVerifierCertificate(await openKeyring(config, store), store, tenant.host, chainPem, keyPem);
    await auditAdminChange(config, tenant.host, "verifier.set-cert", { subject });
    for (const problem of warnings) console.log(`warning: ${problem}`);
    console.log(`verifier certificate of ${tenant.host} installed; it takes effect at once`);
    return;
  }
  if (sub === "set") {
    const { values, positionals } = parseCommand(args, {
      "client-id-prefix": { type: "string" }, "wallet-scheme": { type: "string" }, dcql: { type: "string" }, "default-dcql": { type: "boolean" }, signup: { type: "string" }, client: { type: "string" },
    }, ["HOST"]);
    if (values.signup !== undefined && values.signup !== "on" && values.signup !== "off") throw new CliError("--signup must be on or off");
    if (values.dcql !== undefined && values["default-dcql"]) throw new CliError("give --dcql or --default-dcql, not both");
    let dcqlQuery: unknown;
    if (values.dcql !== undefined) {
      try {
        dcqlQuery = JSON.parse(readFileSync(values.dcql, "utf8"));
      } catch (error) {
        throw new CliError(`--dcql: not a valid DCQL query file: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    if (values["default-dcql"]) dcqlQuery = null;
    const { config, store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    // The shared checks name the admin API's field; the operator typed a flag.
    const FLAGS: Record<string, string> = { client_id_prefix: "--client-id-prefix", wallet_scheme: "--wallet-scheme", dcql_query: "--dcql", client_id: "--client" };
    const dcqlFlag = (error: Error) => (error instanceof TenantInputError && error.field && FLAGS[error.field] ? new CliError(`${FLAGS[error.field]}: ${error.message}`) : error);
    if (values.client !== undefined) {
      // A relying party's own query for the wallet sign-ins it starts; the tenant's policy stays as it is.
      if (values["client-id-prefix"] !== undefined || values["wallet-scheme"] !== undefined || values.signup !== undefined) throw new CliError("with --client, give only --dcql or --default-dcql");
      if (dcqlQuery === undefined) throw new CliError("with --client, give --dcql FILE or --default-dcql");
      const dcqlJson = await setClientDcqlQuery(store, tenant.host, values.client, dcqlQuery).catch((error: Error) => { throw dcqlFlag(error); });
      await auditAdminChange(config, tenant.host, "verifier.set-client-dcql", { client_id: values.client, custom_dcql: dcqlJson !== null });
      console.log(`wallet sign-ins for ${values.client} ask for ${dcqlJson ? "its own DCQL query" : "the tenant's query"}`);
      return;
    }
    const policy = await setVerifierPolicy(store, tenant.host, {
      clientIdPrefix: values["client-id-prefix"], walletScheme: values["wallet-scheme"], dcqlQuery, walletSignup: values.signup === undefined ? undefined : values.signup === "on",
    }).catch((error: Error) => { throw dcqlFlag(error); });
    await auditAdminChange(config, tenant.host, "verifier.set", { client_id_prefix: policy.clientIdPrefix, wallet_scheme: policy.walletScheme, custom_dcql: policy.dcqlQueryJson !== null, wallet_signup: policy.walletSignup });
    console.log(`verifier of ${tenant.host}: client_id prefix ${policy.clientIdPrefix}, wallet scheme ${policy.walletScheme}, ${policy.dcqlQueryJson ? "custom DCQL query" : "PID query (given_name, family_name, birthdate)"}, sign-up by wallet ${policy.walletSignup ? "on" : "off"}`);
    return;
  }
  if (sub === "show") {
    const { values, positionals } = parseCommand(args, {}, ["HOST"]);
    const { store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    const settings = await store.verifiers.settings(tenant.host);
    console.log(`certificate: ${settings?.identitySource ?? "none yet (a development certificate is made on first use)"}`);
    console.log(`client_id prefix: ${settings?.clientIdPrefix ?? "x509_hash"}`);
    console.log(`wallet scheme: ${settings?.walletScheme ?? "openid4vp"}`);
    console.log(`DCQL query: ${settings?.dcqlQueryJson ?? "PID (given_name, family_name, birthdate)"}`);
    console.log(`sign-up by wallet: ${settings?.walletSignup === false ? "off" : "on"}`);
    console.log(`trust anchors: ${(await store.verifiers.trustAnchors(tenant.host)).length}`);
    return;
  }
  throw new CliError(USAGE);
}
