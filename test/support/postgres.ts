// A private PostgreSQL for the tests: Debian's `postgresql` package (installed by .ci/run), one
// cluster in a temporary directory made with initdb and run with pg_ctl on a loopback port, then
// stopped and removed. PostgreSQL refuses to run as root, so under root (CI, containers) the
// cluster belongs to `nobody`. Follows the server's own documentation:
// https://www.postgresql.org/docs/current/app-initdb.html and app-pg-ctl.html.
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchdog } from "./watchdog.ts";

export interface PostgresCluster {
  /** postgres://sigil@127.0.0.1:PORT/postgres: the cluster's superuser on its default database. */
  readonly url: string;
  readonly port: number;
  /** A new, empty database; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL through psql as the superuser (for what a test inspects beside Sigil). */
  psql(database: string, sql: string): Promise<string>;
  stop(): Promise<void>;
}

const NOBODY = { uid: 65534, gid: 65534 };

/** The newest installed server's bin directory, or PG_BIN. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (or set PG_BIN to the directory holding initdb and pg_ctl)");
  return join(root, versions[0]!, "bin");
}

async function run(command: string[], asNobody: boolean): Promise<string> {
  const argv = asNobody ? ["runuser", "-u", "nobody", "--", ...command] : command;
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, LC_ALL: "C" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${command.join(" ")} exited ${code}: ${stderr || stdout}`);
  return stdout;
}

async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBin();
  const asNobody = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "sigil-pg-"));
  if (asNobody) chownSync(dir, NOBODY.uid, NOBODY.gid);
  const data = join(dir, "data");
  // Trust on loopback only: the cluster lives as long as the test and listens on 127.0.0.1 alone.
  await run([join(bin, "initdb"), "-D", data, "-U", "sigil", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asNobody);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    // fsync off: the tests kill Sigil, never PostgreSQL, so what is committed is in the server either way.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    try {
      await run([join(bin, "pg_ctl"), "-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "30", "start"], asNobody);
      break;
    } catch (error) {
      if (attempt >= 2) throw new Error(`${(error as Error).message}\n${existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8") : ""}`);
    }
  }
  const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  // Should this process die before stop(), the cluster goes with it.
  watchdog(dir, postmaster);
  const psqlArgs = (database: string) => [join(bin, "psql"), "-h", "127.0.0.1", "-p", String(port), "-U", "sigil", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt"];
  return {
    url: `postgres://sigil@127.0.0.1:${port}/postgres`,
    port,
    async createDatabase(name) {
      await run([...psqlArgs("postgres"), "-c", `CREATE DATABASE "${name}"`], false);
      return `postgres://sigil@127.0.0.1:${port}/${name}`;
    },
    psql: (database, sql) => run([...psqlArgs(database), "-c", sql], false),
    async stop() {
      await run([join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"], asNobody).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
