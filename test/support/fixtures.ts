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

/** A confidential client and the secret the CLI printed for it once. */
export interface StaticClient {
  clientId: string;
  clientSecret: string;
}

export interface UserDetails {
  email?: string;
  name?: string;
  groups?: string[];
}

/** `sigil user add HOST NAME --password-stdin`, with the optional details. */
export async function addUser(server: SigilServer, host: string, username: string, password: string, details: UserDetails = {}): Promise<void> {
  const flags = [
    ...(details.email ? ["--email", details.email] : []),
    ...(details.name ? ["--name", details.name] : []),
    ...(details.groups ? ["--groups", details.groups.join(",")] : []),
  ];
  await server.cliOk(["user", "add", host, username, "--password-stdin", ...flags], `${password}\n`);
}

export interface ClientUris {
  redirectUri: string;
  postLogoutRedirectUri?: string;
}

const clientArgs = (host: string, clientId: string, uris: ClientUris) =>
  ["client", "add", host, clientId, "--redirect-uri", uris.redirectUri, ...(uris.postLogoutRedirectUri ? ["--post-logout-redirect-uri", uris.postLogoutRedirectUri] : [])];

/** `sigil client add … --confidential`: the client and the secret printed (`secret: …`). */
export async function addConfidentialClient(server: SigilServer, host: string, clientId: string, uris: ClientUris): Promise<StaticClient> {
  const out = await server.cliOk([...clientArgs(host, clientId, uris), "--confidential"]);
  const clientSecret = /^secret: (\S+)$/m.exec(out)?.[1];
  if (!clientSecret) throw new Error(`no secret printed for ${clientId}: ${out}`);
  return { clientId, clientSecret };
}

/** `sigil client add …` without a secret: a public client (PKCE, token_endpoint_auth_method none). */
export async function addPublicClient(server: SigilServer, host: string, clientId: string, uris: ClientUris): Promise<void> {
  await server.cliOk(clientArgs(host, clientId, uris));
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
  await addUser(server, host, username, password, { email: "alice@example.org", name: "Alice Liddell", groups: ["readers", "writers"] });
  const uris = { redirectUri, postLogoutRedirectUri: "https://rp.example/logged-out" };
  const rp = await addConfidentialClient(server, host, "rp", uris);
  await addPublicClient(server, host, "spa", uris);
  return { host, username, password, ...rp, publicClientId: "spa", ...uris };
}

/** Another user of `p`'s tenant (or of `host`), with the password `<name>-secret-pw` and the address `<name>@example.org`, signing in at `p`'s clients. */
export async function anotherUser(server: SigilServer, p: Provisioned, name: string, host = p.host): Promise<Provisioned> {
  const password = `${name}-secret-pw`;
  await addUser(server, host, name, password, { email: `${name}@example.org` });
  return { ...p, host, username: name, password };
}
