// Sigil nodes sharing one PostgreSQL database, as behind a load balancer: each node its own process
// and data directory (audit log, outbox), all with one master key and one `--store`. CLI commands
// run against the shared store too.
import { startPostgres, type PostgresCluster } from "./postgres.ts";
import { removeDataDir, startSigil, type SigilServer, type StartOptions } from "./sigil.ts";

export interface SigilCluster {
  readonly postgres: PostgresCluster;
  readonly storeUrl: string;
  readonly nodes: SigilServer[];
  /** Starts one more node on the shared store. */
  addNode(options?: StartOptions): Promise<SigilServer>;
  stop(): Promise<void>;
}

/** A master key for every node of the cluster, given to each as SIGIL_MASTER_KEY (their CLI commands get it too). */
function sharedMasterKey(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/**
 * A node whose CLI commands name the shared store, so that fixtures provision it, and whose requests
 * carry the Host of the cluster's one public address (the first node's port), as a load balancer's would:
 * every node then sees the same issuer.
 */
function onStore(node: SigilServer, storeUrl: string, publicPort: () => number): SigilServer {
  return {
    ...node,
    origin: (host = "localhost") => `http://${host}:${publicPort()}`,
    fetch: (path, init = {}) => {
      const { host = "localhost", ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set("host", `${host}:${publicPort()}`);
      return fetch(`http://127.0.0.1:${node.port}${path}`, { redirect: "manual", ...rest, headers });
    },
    cli: (args, stdin) => node.cli([...args, "--store", storeUrl], stdin),
    cliOk: (args, stdin) => node.cliOk([...args, "--store", storeUrl], stdin),
  };
}

export async function startCluster(nodes: number, options: StartOptions = {}): Promise<SigilCluster> {
  const postgres = await startPostgres();
  const storeUrl = await postgres.createDatabase("sigil");
  // Given to the nodes only: set in this process's environment, it would reach every Sigil a later
  // test file starts, whose data directory has its own master.key.
  const masterKey = sharedMasterKey();
  const started: SigilServer[] = [];
  const addNode = async (extra: StartOptions = {}) => {
    const node = await startSigil({
      ...options, ...extra,
      // The test is the load balancer: one proxy hop, whose X-Forwarded-For names the client.
      args: [...(options.args ?? []), ...(extra.args ?? []), "--store", storeUrl, "--trust-proxy", "1"],
      env: { SIGIL_MASTER_KEY: masterKey, ...options.env, ...extra.env },
    });
    const wrapped = onStore(node, storeUrl, () => started[0]?.port ?? node.port);
    started.push(wrapped);
    return wrapped;
  };
  // One after the other: the first makes the schema and the first tenant, the others find them.
  for (let i = 0; i < nodes; i++) await addNode();
  return {
    postgres, storeUrl, nodes: started, addNode,
    async stop() {
      await Promise.all(started.map(async (node) => {
        await node.stop("SIGKILL");
        removeDataDir(node.dataDir);
      }));
      await postgres.stop();
    },
  };
}
