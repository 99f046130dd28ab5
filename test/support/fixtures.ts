// Provisions tenants, users and clients through the real CLI, as an operator would.
import type { SigilServer } from "./sigil.ts";

export const md5Hex = (text: string) => new Bun.CryptoHasher("md5").update(text).digest("hex");

/** HA1 = MD5(user:realm:password), what the browser sends. */
export const ha1 = (user: string, realm: string, password: string) => md5Hex(`${user}:${realm}:${password}`);

export interface Provisioned {
  host: string;
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
  publicClientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/**
 * Adds (unless it is `localhost`, which serve creates) a tenant, a user alice/wonderland-42 with
 * email and groups, a confidential client `rp` and a public client `spa`, both redirecting to
 * `redirectUri` (no server needs to listen there: tests read the Location header).
 */
export async function provision(server: SigilServer, host = "localhost", redirectUri = "https://rp.example/cb"): Promise<Provisioned> {
  if (host !== "localhost") await server.cliOk(["tenant", "add", host]);
  const username = "alice";
  const password = "wonderland-42";
  await server.cliOk(["user", "add", host, username, "--password-stdin", "--email", "alice@example.org", "--name", "Alice Liddell", "--groups", "readers,writers"], `${password}\n`);
  const postLogoutRedirectUri = "https://rp.example/logged-out";
  const out = await server.cliOk(["client", "add", host, "rp", "--redirect-uri", redirectUri, "--post-logout-redirect-uri", postLogoutRedirectUri, "--confidential"]);
  const clientSecret = /^secret: (\S+)$/m.exec(out)?.[1];
  if (!clientSecret) throw new Error(`no secret printed: ${out}`);
  await server.cliOk(["client", "add", host, "spa", "--redirect-uri", redirectUri, "--post-logout-redirect-uri", postLogoutRedirectUri]);
  return { host, username, password, clientId: "rp", clientSecret, publicClientId: "spa", redirectUri, postLogoutRedirectUri };
}
