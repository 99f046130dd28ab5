// conformance/setup --data DIR --host HOST --suite SUITE_URL [--alias sigil]
// Provisions on a Sigil data directory what conformance/plans/*.json name: the tenant, the
// user the suite's browser signs in as, and the static clients with the suite's callback and
// post-logout URIs. Secrets go to conformance/secrets.json (git-ignored), which run reads.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const HERE = import.meta.dir;
const CLIENTS = ["conformance-basic", "conformance-basic-2", "conformance-post"];

async function sigil(args: string[], stdin?: string): Promise<string> {
  const bin = process.env.SIGIL_BIN ? [process.env.SIGIL_BIN] : [process.execPath, join(HERE, "..", "src", "main.ts")];
  const proc = Bun.spawn([...bin, ...args], { stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin), stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`sigil ${args.slice(0, 3).join(" ")}: ${err.trim()}`);
  return out;
}

const { values } = parseArgs({ args: process.argv.slice(2), options: { data: { type: "string" }, host: { type: "string" }, suite: { type: "string" }, alias: { type: "string" } } });
if (!values.data || !values.host || !values.suite) {
  console.error("usage: conformance/setup --data DIR --host HOST --suite SUITE_URL [--alias sigil]");
  process.exit(2);
}
const data = ["--data", values.data];
const suite = values.suite.replace(/\/+$/, "");
const alias = values.alias ?? "sigil";
const tenants = await sigil(["tenant", "list", ...data]);
if (!tenants.split("\n").some((line) => line.split("\t")[0] === values.host)) await sigil(["tenant", "add", values.host, ...data]);
const password = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
await sigil(["user", "add", values.host, "conformance", "--password-stdin", "--email", "conformance@example.org", "--name", "Conformance Tester", ...data], `${password}\n`);
const secrets: Record<string, string> = { "user-password": password };
for (const clientId of CLIENTS) {
  const out = await sigil([
    "client", "add", values.host, clientId, "--confidential",
    "--redirect-uri", `${suite}/test/a/${alias}/callback`,
    "--post-logout-redirect-uri", `${suite}/test/a/${alias}/post_logout_redirect`, ...data,
  ]);
  secrets[clientId] = /^secret: (\S+)$/m.exec(out)![1]!;
}
writeFileSync(join(HERE, "secrets.json"), JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
console.log(`provisioned ${values.host} for the suite at ${suite} (alias ${alias}); secrets in conformance/secrets.json`);
