// node:sqlite (Deno 2.9, and Bun 1.4 when asked) behind the SqliteDatabase surface, made to bind
// like bun:sqlite in strict mode, which the store was written against: `{ name }` binds `$name`,
// extra keys are ignored, undefined binds NULL, booleans bind 0/1, and get() gives null for no row.
import { backup, DatabaseSync, type StatementSync } from "node:sqlite";
import type { SqlParams, SqliteDatabase, SqliteStatement } from "./sqlite.ts";

type Bindable = null | number | bigint | string | Uint8Array;

/** Copies the parameters only when one needs converting: the common call binds as it came. */
function bindable(params: SqlParams): Record<string, Bindable> {
  for (const key in params) {
    const value = params[key];
    if (value === undefined || typeof value === "boolean") {
      const out: Record<string, Bindable> = {};
      for (const k in params) {
        const v = params[k];
        out[k] = v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : v!;
      }
      return out;
    }
  }
  return params as Record<string, Bindable>;
}

function wrap(statement: StatementSync): SqliteStatement<unknown, unknown[]> {
  statement.setAllowUnknownNamedParameters(true);
  const call = <R>(method: (...args: never[]) => R, params: unknown[]): R => {
    const first = params[0];
    if (first !== null && typeof first === "object" && !(first instanceof Uint8Array)) return (method as (p: object) => R).call(statement, bindable(first as SqlParams));
    return (method as (...args: unknown[]) => R).apply(statement, params);
  };
  return {
    // Numbers, not bigints: readBigInts stays off, so changes is a number as on bun:sqlite.
    run: (...params) => call(statement.run, params) as { changes: number },
    get: (...params) => call(statement.get, params) ?? null,
    all: (...params) => call(statement.all, params),
  };
}

export function openNodeSqlite(path: string, readonly: boolean): SqliteDatabase {
  const db = new DatabaseSync(path, { readOnly: readonly });
  const cache = new Map<string, SqliteStatement<unknown, unknown[]>>();
  let depth = 0;
  return {
    query: (sql) => {
      let statement = cache.get(sql);
      if (!statement) {
        // Bounded like bun:sqlite's cache: statements built per call (a user patch) cannot grow it without end.
        if (cache.size >= 1000) cache.clear();
        statement = wrap(db.prepare(sql));
        cache.set(sql, statement);
      }
      return statement as never;
    },
    exec: (sql) => db.exec(sql),
    immediateTransaction: (fn) => {
      const savepoint = `sigil_${depth}`;
      db.exec(depth === 0 ? "BEGIN IMMEDIATE" : `SAVEPOINT ${savepoint}`);
      depth += 1;
      try {
        const result = fn();
        depth -= 1;
        db.exec(depth === 0 ? "COMMIT" : `RELEASE ${savepoint}`);
        return result;
      } catch (error) {
        depth -= 1;
        db.exec(depth === 0 ? "ROLLBACK" : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw error;
      }
    },
    copyInto: async (target) => {
      await backup(db, target);
    },
    close: () => {
      cache.clear();
      db.close();
    },
  };
}
