import postgres from "postgres";

/** The connection pool, and the same queries inside a transaction. */
export type Sql = postgres.Sql;
export type Query = postgres.Sql | postgres.TransactionSql;

/**
 * The pool for one store URL. BIGINT columns (times in seconds) come back as numbers: every value
 * Sigil keeps there is far below 2^53. Idle sockets do not hold a CLI command open after its work.
 */
export function connect(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    connect_timeout: 10,
    unref_sockets: true,
    // CREATE ... IF NOT EXISTS and the like report notices nobody needs to read.
    onnotice: () => {},
    connection: { application_name: "sigil" },
    types: { int8: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) } },
  });
}

export const isUniqueViolation = (error: unknown): boolean => error instanceof postgres.PostgresError && error.code === "23505";

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the PostgreSQL URL";
  }
}
