// conformance/setup --data DIR --host HOST --suite SUITE_URL [--alias sigil]
//                   [--client-id-prefix x509_hash|x509_san_dns]
//                   [--issuer-cert PEM_FILE [--issuer-jwk JWK_FILE]] [--request-object-anchor PEM_FILE]
// Provisions on a Sigil data directory what conformance/plans/*.json name: the tenant, the
// user the suite's browser signs in as, and the static clients with the suite's callback and
// post-logout URIs. Secrets go to conformance/secrets.json (git-ignored; CONFORMANCE_SECRETS names
// another file, as for run), which run reads.
//
// For the OID4VP verifier plans (conformance/plans/oid4vp-*.json), where the suite plays the wallet:
// - the PID issuer the suite impersonates: the suite signs its mock PID with the key in the config's
//   credential.signing_jwk and identifies it by that key's x5c. By default setup makes a CA and an
//   issuer key under it, records the key as secret credential-signing-jwk and trusts the CA
//   (`sigil trust add`). --issuer-cert (or CONFORMANCE_ISSUER_CERT) trusts a certificate you give
//   instead, e.g. the suite's own test CA scripts/certs-keys/vp-signing-ca.crt from its source (it is
//   not served by a running suite, so it cannot be fetched from --suite); with --issuer-jwk (or
//   CONFORMANCE_ISSUER_JWK) the matching signing JWK (e.g. scripts/certs-keys/vp-signing-jwk.json) is
//   recorded instead of a generated one.
// - the tenant's request-object signer: the suite refuses a self-signed leaf in x5c and, under HAIP,
//   wants the CA as client.request_object_trust_anchor_pem. Unless the tenant already has an operator
//   certificate, setup makes an access CA and a leaf for HOST (`sigil verifier set-cert`) and
//   records the CA as secret request-object-trust-anchor; with an operator certificate, give its
//   CA with --request-object-anchor (or CONFORMANCE_REQUEST_OBJECT_ANCHOR).
// - the policy (`sigil verifier set`): --client-id-prefix (default x509_hash; the x509_san_dns
//   plan files need x509_san_dns), and the wallet scheme set to the suite's authorization endpoint
//   {suite}/test/a/{alias}/authorize, so the wallet URL Sigil answers hands the request to the suite.
// - the confidential client conformance-verifier, which conformance/run uses to start presentations.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createCa, isCaCertificate, issueLeaf, signingJwk } from "./pki.ts";

const HERE = import.meta.dir;
const CLIENTS = ["conformance-basic", "conformance-basic-2", "conformance-post", "conformance-verifier"];

async function sigil(args: string[], stdin?: string): Promise<string> {
  const bin = process.env.SIGIL_BIN ? [process.env.SIGIL_BIN] : [process.execPath, join(HERE, "..", "src", "main.ts")];
  const proc = Bun.spawn([...bin, ...args], { stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`sigil ${args.slice(0, 3).join(" ")}: ${err.trim()}`);
  return out;
}

function readFileArgument(path: string | undefined, what: string): string | undefined {
  if (path === undefined || path === "") return undefined;
  if (!existsSync(path)) throw new Error(`${what}: no such file ${path}`);
  return readFileSync(path, "utf8");
}

const USAGE = "usage: conformance/setup --data DIR --host HOST --suite SUITE_URL [--alias sigil] [--client-id-prefix x509_hash|x509_san_dns] [--issuer-cert PEM_FILE [--issuer-jwk JWK_FILE]] [--request-object-anchor PEM_FILE]";
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    data: { type: "string" }, host: { type: "string" }, suite: { type: "string" }, alias: { type: "string" },
    "client-id-prefix": { type: "string" }, "issuer-cert": { type: "string" }, "issuer-jwk": { type: "string" }, "request-object-anchor": { type: "string" },
  },
});
const prefix = values["client-id-prefix"] ?? "x509_hash";
if (!values.data || !values.host || !values.suite || (prefix !== "x509_hash" && prefix !== "x509_san_dns")) {
  console.error(USAGE);
  process.exit(2);
}
const issuerCertPem = readFileArgument(values["issuer-cert"] ?? process.env.CONFORMANCE_ISSUER_CERT, "--issuer-cert");
const issuerJwkText = readFileArgument(values["issuer-jwk"] ?? process.env.CONFORMANCE_ISSUER_JWK, "--issuer-jwk");
const anchorPem = readFileArgument(values["request-object-anchor"] ?? process.env.CONFORMANCE_REQUEST_OBJECT_ANCHOR, "--request-object-anchor");
if (issuerJwkText !== undefined && issuerCertPem === undefined) {
  console.error("conformance/setup: --issuer-jwk needs --issuer-cert, the CA (or the very certificate) Sigil must trust for it");
  process.exit(2);
}

const data = ["--data", values.data];
const host = values.host;
const suite = values.suite.replace(/\/+$/, "");
const alias = values.alias ?? "sigil";
const tenants = await sigil(["tenant", "list", ...data]);
if (!tenants.split("\n").some((line) => line.split("\t")[0] === host)) await sigil(["tenant", "add", host, ...data]);
const password = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
await sigil(["user", "add", host, "conformance", "--password-stdin", "--email", "conformance@example.org", "--name", "Conformance Tester", ...data], `${password}\n`);
const secrets: Record<string, string> = { "user-password": password };
for (const clientId of CLIENTS) {
  const out = await sigil([
    "client", "add", host, clientId, "--confidential",
    "--redirect-uri", `${suite}/test/a/${alias}/callback`,
    "--post-logout-redirect-uri", `${suite}/test/a/${alias}/post_logout_redirect`, ...data,
  ]);
  secrets[clientId] = /^secret: (\S+)$/m.exec(out)![1]!;
}

// The OID4VP verifier plans. The PID issuer the suite plays:
if (issuerCertPem !== undefined) {
  // A CA signs the suite's issuer certificates; a certificate that is no CA is trusted as exactly itself.
  await sigil(["trust", "add", host, `--cert=${issuerCertPem}`, ...(isCaCertificate(issuerCertPem) ? [] : ["--leaf"]), ...data]);
  if (issuerJwkText !== undefined) {
    const jwk = JSON.parse(issuerJwkText) as Record<string, unknown>;
    if (jwk.kty !== "EC" || typeof jwk.d !== "string" || !Array.isArray(jwk.x5c)) throw new Error("--issuer-jwk: needs an EC private JWK with x5c");
    secrets["credential-signing-jwk"] = JSON.stringify(jwk);
  }
}
if (secrets["credential-signing-jwk"] === undefined) {
  const issuerCa = await createCa("CN=Sigil conformance PID issuer CA");
  const issuerLeaf = await issueLeaf(issuerCa, "CN=Sigil conformance PID issuer");
  await sigil(["trust", "add", host, `--cert=${issuerCa.pem}`, ...data]);
  secrets["credential-signing-jwk"] = JSON.stringify(await signingJwk(issuerLeaf));
}
// The tenant's request-object signer, under a CA the suite is given as its trust anchor:
const shown = await sigil(["verifier", "show", host, ...data]);
if (/^certificate: operator/m.test(shown)) {
  if (anchorPem === undefined) throw new Error(`${host} has an operator verifier certificate: give its CA with --request-object-anchor`);
  secrets["request-object-trust-anchor"] = anchorPem;
} else {
  const accessCa = await createCa("CN=Sigil conformance access CA");
  const accessLeaf = await issueLeaf(accessCa, `CN=${host}`, [host]);
  await sigil(["verifier", "set-cert", host, `--cert=${accessLeaf.pem}`, `--key=${accessLeaf.keyPem}`, ...data]);
  secrets["request-object-trust-anchor"] = accessCa.pem;
}
await sigil(["verifier", "set", host, "--client-id-prefix", prefix, "--wallet-scheme", `${suite}/test/a/${alias}/authorize`, ...data]);

const secretsPath = process.env.CONFORMANCE_SECRETS ?? join(HERE, "secrets.json");
writeFileSync(secretsPath, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
console.log(`provisioned ${host} for the suite at ${suite} (alias ${alias}; verifier client_id prefix ${prefix}); secrets in ${secretsPath}`);
