import { sealOperatorIdentity } from "../verifier/index.ts";
import { AuthenticationQueryError, authenticationQuery, haipIdentityProblems, parseDcqlQuery, WALLET_SCHEMES, type DcqlQueryInput } from "../oid4vp/index.ts";
import { requireTenant } from "../tenant/index.ts";
import { parseCommand } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData, openKeyring } from "./open-data.ts";
import { readPemArgument } from "./read-pem.ts";

const USAGE = "usage: sigil verifier set-cert HOST --cert CHAIN_PEM --key KEY_PEM | verifier set HOST [--client-id-prefix x509_hash|x509_san_dns] [--wallet-scheme S] [--dcql FILE | --default-dcql] [--signup on|off] | verifier set HOST --client ID (--dcql FILE | --default-dcql) | verifier show HOST";

/** The tenant's EU Wallet verifier: its access certificate, client_id prefix, wallet URL scheme and default DCQL query. */
export async function verifierCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === "set-cert") {
    const { values, positionals } = parseCommand(args, { cert: { type: "string" }, key: { type: "string" } }, ["HOST"]);
    const chainPem = readPemArgument(values.cert, "--cert");
    const keyPem = readPemArgument(values.key, "--key");
    const { config, store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    let sealed;
    try {
      sealed = await sealOperatorIdentity(await openKeyring(config, store), tenant.host, chainPem, keyPem);
    } catch (error) {
      throw new CliError(`the certificate and key were not accepted: ${(error as Error).message}`);
    }
    await store.verifiers.installIdentity(tenant.host, sealed.chainPem, sealed.sealedKey, "operator");
    await auditAdminChange(config, tenant.host, "verifier.set-cert", { subject: sealed.identity.certificates[0]?.subject });
    for (const problem of await haipIdentityProblems(sealed.identity)) console.log(`warning: ${problem}`);
    console.log(`verifier certificate of ${tenant.host} installed; it takes effect at once`);
    return;
  }
  if (sub === "set") {
    const { values, positionals } = parseCommand(args, {
      "client-id-prefix": { type: "string" }, "wallet-scheme": { type: "string" }, dcql: { type: "string" }, "default-dcql": { type: "boolean" }, signup: { type: "string" }, client: { type: "string" },
    }, ["HOST"]);
    if (values.signup !== undefined && values.signup !== "on" && values.signup !== "off") throw new CliError("--signup must be on or off");
    const prefix = values["client-id-prefix"];
    if (prefix !== undefined && prefix !== "x509_hash" && prefix !== "x509_san_dns") throw new CliError("--client-id-prefix must be x509_hash or x509_san_dns");
    const scheme = values["wallet-scheme"];
    if (scheme !== undefined && !(WALLET_SCHEMES as readonly string[]).includes(scheme) && !/^https:\/\//.test(scheme)) {
      throw new CliError(`--wallet-scheme must be one of ${WALLET_SCHEMES.join(", ")} or an https:// wallet endpoint`);
    }
    if (values.dcql !== undefined && values["default-dcql"]) throw new CliError("give --dcql or --default-dcql, not both");
    let dcqlJson: string | null | undefined;
    if (values.dcql !== undefined) {
      let query: DcqlQueryInput;
      try {
        query = JSON.parse(await Bun.file(values.dcql).text()) as DcqlQueryInput;
        parseDcqlQuery(query);
      } catch (error) {
        throw new CliError(`--dcql: not a valid DCQL query file: ${(error as Error).message.split("\n")[0]}`);
      }
      // Both queries serve wallet sign-ins, which bind accounts: one credential, a subject identifier (added when a sign-in starts).
      try {
        authenticationQuery(query);
      } catch (error) {
        if (!(error instanceof AuthenticationQueryError)) throw error;
        throw new CliError(`--dcql: this query cannot be used for wallet sign-in: ${error.message}`);
      }
      dcqlJson = JSON.stringify(query);
    }
    if (values["default-dcql"]) dcqlJson = null;
    const { config, store } = openData(values);
    const tenant = await requireTenant(store, positionals[0]!);
    if (values.client !== undefined) {
      // A relying party's own query for the wallet sign-ins it starts; the tenant's policy stays as it is.
      if (prefix !== undefined || scheme !== undefined || values.signup !== undefined) throw new CliError("with --client, give only --dcql or --default-dcql");
      if (dcqlJson === undefined) throw new CliError("with --client, give --dcql FILE or --default-dcql");
      if (!(await store.clients.get(tenant.host, values.client))) throw new CliError(`${tenant.host} has no client ${values.client}`);
      await store.verifiers.setClientDcqlQuery(tenant.host, values.client, dcqlJson);
      await auditAdminChange(config, tenant.host, "verifier.set-client-dcql", { client_id: values.client, custom_dcql: dcqlJson !== null });
      console.log(`wallet sign-ins for ${values.client} ask for ${dcqlJson ? "its own DCQL query" : "the tenant's query"}`);
      return;
    }
    const current = await store.verifiers.settings(tenant.host);
    const policy = {
      clientIdPrefix: (prefix ?? current?.clientIdPrefix ?? "x509_hash") as "x509_hash" | "x509_san_dns",
      walletScheme: scheme ?? current?.walletScheme ?? "openid4vp",
      dcqlQueryJson: dcqlJson === undefined ? current?.dcqlQueryJson ?? null : dcqlJson,
      walletSignup: values.signup === undefined ? current?.walletSignup ?? true : values.signup === "on",
    };
    await store.verifiers.savePolicy(tenant.host, policy);
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
