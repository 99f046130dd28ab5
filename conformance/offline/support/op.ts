// The battery's OP: one real Sigil per test file, started by the test harness on a copy of a data
// directory provisioned once per test run, with the discovery document and JWKS the suite reads
// at the start of every module.
import type { JSONWebKeySet } from "jose";
import { addConfidentialClient, provision, type Provisioned, type StaticClient } from "../../../test/support/fixtures.ts";
import { startSigil, type SigilServer } from "../../../test/support/sigil.ts";
import { provisionedTemplate } from "../../../test/support/template.ts";
import { perFile } from "./per-file.ts";

export type { StaticClient };

/**
 * Provisions once per test process, through the real CLI: the tenant `localhost`, the user
 * alice, the confidential client `rp` (the suite's `client`), the public client `spa`, and
 * the confidential clients `rp2` (`client2`) and `rp-post` (`client_secret_post`), all with
 * the redirect and post-logout URIs of `provision`.
 */
const template = () => provisionedTemplate("conformance-oidc", async (server) => {
  const p = await provision(server);
  const client2 = await addConfidentialClient(server, p.host, "rp2", p);
  const postClient = await addConfidentialClient(server, p.host, "rp-post", p);
  // The tenant's RSA key is made on first need: make it here, once, rather than in every copy.
  const jwks = await server.fetch("/.well-known/jwks.json");
  if (jwks.status !== 200) throw new Error(`JWKS answered ${jwks.status}`);
  return { p, client2, postClient };
});

/** Provider metadata as discovery publishes it (only the fields the battery reads are typed). */
export interface Metadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  scopes_supported?: string[];
  [key: string]: unknown;
}

/** The part of a running Sigil the battery uses. */
export type OpServer = Pick<SigilServer, "port" | "dataDir" | "fetch" | "stop">;

export interface Op {
  server: OpServer;
  p: Provisioned;
  /** The suite's `client`: rp, client_secret_basic. */
  client: StaticClient;
  client2: StaticClient;
  postClient: StaticClient;
  issuer: string;
  metadata: Metadata;
  jwks: JSONWebKeySet;
  stop(): Promise<void>;
}

export interface OpOptions {
  env?: Record<string, string>;
  args?: string[];
}

/** Serves a copy of the template; the copy goes when the server stops or this process dies (watchdog). */
function launch(templateDir: string, options: OpOptions): Promise<SigilServer> {
  const ready = startSigil({ ...options, template: templateDir, watchdog: true, removeOnStop: true, settleMs: 0 });
  ready.catch(() => undefined);
  return ready;
}

const SPARE_KEY = Symbol.for("sigil.conformance.offline.spare");
type SpareHolder = { [SPARE_KEY]?: Promise<SigilServer> };

/**
 * A fresh Sigil on a copy of the provisioned data directory, with its discovery document and JWKS
 * read. Test files run one after another, so while one runs, the next one's server (with the
 * default settings) is already starting; the last one, never used, dies with the test process (watchdog).
 */
export async function startOp(options: OpOptions = {}): Promise<Op> {
  const t = await template();
  const holder = globalThis as SpareHolder;
  const plain = options.env === undefined && options.args === undefined;
  const spare = plain ? holder[SPARE_KEY] : undefined;
  if (spare) holder[SPARE_KEY] = undefined;
  const server = await (spare ?? launch(t.dir, options));
  holder[SPARE_KEY] ??= launch(t.dir, {});
  const metadata = (await (await server.fetch("/.well-known/openid-configuration")).json()) as Metadata;
  const jwks = (await (await server.fetch(new URL(metadata.jwks_uri).pathname)).json()) as JSONWebKeySet;
  return {
    server,
    p: t.p,
    client: { clientId: t.p.clientId, clientSecret: t.p.clientSecret },
    client2: t.client2,
    postClient: t.postClient,
    issuer: metadata.issuer,
    metadata,
    jwks,
    stop: () => server.stop(),
  };
}

/** The file's OP (startOp in beforeAll, stop in afterAll), usable directly in test bodies. */
export const useOp = (options: OpOptions = {}): Op => perFile(() => startOp(options));

/** The path and query of an absolute URL on the server, for OpServer.fetch. */
export const pathOf = (url: string): string => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export const randomValue = (bytes = 16) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
