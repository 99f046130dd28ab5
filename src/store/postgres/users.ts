import { DuplicateError, type Role, type User, type UserRepo } from "../ports.ts";
import { isUniqueViolation, type Sql } from "./connect.ts";
import { isConverted, NO_PASSWORD, postgresLegacySecrets } from "./legacy-secrets.ts";

interface Row {
  tenant: string; sub: string; username: string; ha1: string; role: string; email: string | null; email_verified: boolean; name: string | null;
  groups_json: string; disabled: boolean; created_at: number; updated_at: number; session_epoch: number;
}

const toUser = (row: Row): User => ({
  tenant: row.tenant,
  sub: row.sub,
  username: row.username,
  // A value an older Sigil stored in the clear never signs in, even before start-up converts it.
  sealedHa1: isConverted(row.ha1) ? row.ha1 : null,
  role: row.role as Role,
  email: row.email,
  emailVerified: row.email_verified,
  name: row.name,
  groups: JSON.parse(row.groups_json) as string[],
  disabled: row.disabled,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  sessionEpoch: row.session_epoch,
});

export function postgresUsers(sql: Sql): UserRepo {
  return {
    ...postgresLegacySecrets(sql),
    async add(user) {
      try {
        await sql`INSERT INTO users (tenant, sub, username, ha1, role, email, email_verified, name, groups_json, disabled, created_at, updated_at)
          VALUES (${user.tenant}, ${user.sub}, ${user.username}, ${user.sealedHa1 ?? NO_PASSWORD}, ${user.role}, ${user.email}, ${user.emailVerified},
            ${user.name}, ${JSON.stringify(user.groups)}, ${user.disabled}, ${user.createdAt}, ${user.updatedAt})`;
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError(`user ${user.username} already exists in ${user.tenant}`);
        throw error;
      }
    },
    async findByUsername(tenant, username) {
      const [row] = await sql<Row[]>`SELECT * FROM users WHERE tenant = ${tenant} AND username = ${username}`;
      return row ? toUser(row) : null;
    },
    async findBySub(tenant, sub) {
      const [row] = await sql<Row[]>`SELECT * FROM users WHERE tenant = ${tenant} AND sub = ${sub}`;
      return row ? toUser(row) : null;
    },
    async findByEmail(tenant, email) {
      return (await sql<Row[]>`SELECT * FROM users WHERE tenant = ${tenant} AND lower(email) = lower(${email})`).map(toUser);
    },
    async list(tenant) {
      return (await sql<Row[]>`SELECT * FROM users WHERE tenant = ${tenant} ORDER BY username`).map(toUser);
    },
    async search(tenant, query) {
      // strpos on lower(): a part of the name, with no LIKE wildcards for a caller to smuggle in.
      const empty = sql``;
      const condition = sql`tenant = ${tenant}
        ${query.username !== undefined ? sql`AND strpos(lower(username), lower(${query.username})) > 0` : empty}
        ${query.email !== undefined ? sql`AND strpos(lower(coalesce(email, '')), lower(${query.email})) > 0` : empty}
        ${query.role !== undefined ? sql`AND role = ${query.role}` : empty}
        ${query.disabled !== undefined ? sql`AND disabled = ${query.disabled}` : empty}`;
      const [counted] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM users WHERE ${condition}`;
      const rows = await sql<Row[]>`SELECT * FROM users WHERE ${condition} ORDER BY username LIMIT ${query.limit} OFFSET ${query.offset}`;
      return { users: rows.map(toUser), total: counted?.n ?? 0 };
    },
    async update(tenant, username, patch, now) {
      // Column names come from this list only; the values travel as parameters.
      const columns: Record<string, string | number | boolean | null> = { updated_at: now };
      if (patch.sealedHa1 !== undefined) columns.ha1 = patch.sealedHa1 ?? NO_PASSWORD;
      if (patch.role !== undefined) columns.role = patch.role;
      if (patch.email !== undefined) columns.email = patch.email;
      if (patch.emailVerified !== undefined) columns.email_verified = patch.emailVerified;
      if (patch.name !== undefined) columns.name = patch.name;
      if (patch.groups !== undefined) columns.groups_json = JSON.stringify(patch.groups);
      if (patch.disabled !== undefined) columns.disabled = patch.disabled;
      const result = await sql`UPDATE users SET ${sql(columns)} WHERE tenant = ${tenant} AND username = ${username}`;
      return result.count > 0;
    },
    async remove(tenant, username) {
      return (await sql`DELETE FROM users WHERE tenant = ${tenant} AND username = ${username}`).count > 0;
    },
    async countByRole(tenant, role) {
      const [row] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM users WHERE tenant = ${tenant} AND role = ${role} AND NOT disabled`;
      return row?.n ?? 0;
    },
    async raiseSessionEpoch(tenant, sub) {
      const [row] = await sql<{ session_epoch: number }[]>`UPDATE users SET session_epoch = session_epoch + 1 WHERE tenant = ${tenant} AND sub = ${sub} RETURNING session_epoch`;
      return row?.session_epoch ?? null;
    },
  };
}
