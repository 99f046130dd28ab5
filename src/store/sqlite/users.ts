import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import { DuplicateError, type Role, type User, type UserRepo } from "../ports.ts";
import { isConverted, NO_PASSWORD, sqliteLegacySecrets } from "./legacy-secrets.ts";
import { isUniqueViolation } from "./open-database.ts";

interface Row {
  tenant: string; sub: string; username: string; ha1: string; role: string; email: string | null; email_verified: number; name: string | null;
  groups_json: string; disabled: number; created_at: number; updated_at: number; session_epoch: number;
}

const toUser = (row: Row): User => ({
  tenant: row.tenant,
  sub: row.sub,
  username: row.username,
  // A value an older Sigil stored in the clear never signs in, even before start-up converts it.
  sealedHa1: isConverted(row.ha1) ? row.ha1 : null,
  role: row.role as Role,
  email: row.email,
  emailVerified: row.email_verified === 1,
  name: row.name,
  groups: JSON.parse(row.groups_json) as string[],
  disabled: row.disabled === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  sessionEpoch: row.session_epoch,
});

export function sqliteUsers(db: Database): UserRepo {
  const insert = db.query(
    `INSERT INTO users (tenant, sub, username, ha1, role, email, email_verified, name, groups_json, disabled, created_at, updated_at)
     VALUES ($tenant, $sub, $username, $ha1, $role, $email, $emailVerified, $name, $groups, $disabled, $createdAt, $updatedAt)`,
  );
  const byUsername = db.query<Row, { tenant: string; username: string }>("SELECT * FROM users WHERE tenant = $tenant AND username = $username");
  const bySub = db.query<Row, { tenant: string; sub: string }>("SELECT * FROM users WHERE tenant = $tenant AND sub = $sub");
  const all = db.query<Row, { tenant: string }>("SELECT * FROM users WHERE tenant = $tenant ORDER BY username");
  const byEmail = db.query<Row, { tenant: string; email: string }>("SELECT * FROM users WHERE tenant = $tenant AND lower(email) = lower($email)");
  const remove = db.query("DELETE FROM users WHERE tenant = $tenant AND username = $username");
  const raiseEpoch = db.query<{ session_epoch: number }, { tenant: string; sub: string }>(
    "UPDATE users SET session_epoch = session_epoch + 1 WHERE tenant = $tenant AND sub = $sub RETURNING session_epoch",
  );
  const countRole = db.query<{ n: number }, { tenant: string; role: string }>("SELECT count(*) AS n FROM users WHERE tenant = $tenant AND role = $role AND disabled = 0");
  return {
    ...sqliteLegacySecrets(db),
    async add(user) {
      try {
        insert.run({
          tenant: user.tenant, sub: user.sub, username: user.username, ha1: user.sealedHa1 ?? NO_PASSWORD, role: user.role, email: user.email, emailVerified: user.emailVerified ? 1 : 0, name: user.name,
          groups: JSON.stringify(user.groups), disabled: user.disabled ? 1 : 0, createdAt: user.createdAt, updatedAt: user.updatedAt,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError(`user ${user.username} already exists in ${user.tenant}`);
        throw error;
      }
    },
    async findByUsername(tenant, username) {
      const row = byUsername.get({ tenant, username });
      return row ? toUser(row) : null;
    },
    async findBySub(tenant, sub) {
      const row = bySub.get({ tenant, sub });
      return row ? toUser(row) : null;
    },
    async findByEmail(tenant, email) {
      return byEmail.all({ tenant, email }).map(toUser);
    },
    async list(tenant) {
      return all.all({ tenant }).map(toUser);
    },
    async search(tenant, query) {
      // instr on lower(): a part of the name, with no LIKE wildcards for a caller to smuggle in.
      const where = ["tenant = $tenant"];
      const params: Record<string, string | number> = { tenant };
      if (query.username !== undefined) { where.push("instr(lower(username), lower($username)) > 0"); params.username = query.username; }
      if (query.email !== undefined) { where.push("instr(lower(coalesce(email, '')), lower($email)) > 0"); params.email = query.email; }
      if (query.role !== undefined) { where.push("role = $role"); params.role = query.role; }
      if (query.disabled !== undefined) { where.push("disabled = $disabled"); params.disabled = query.disabled ? 1 : 0; }
      const condition = where.join(" AND ");
      const total = db.query<{ n: number }, typeof params>(`SELECT count(*) AS n FROM users WHERE ${condition}`).get(params)?.n ?? 0;
      const rows = db.query<Row, typeof params>(`SELECT * FROM users WHERE ${condition} ORDER BY username LIMIT $limit OFFSET $offset`)
        .all({ ...params, limit: query.limit, offset: query.offset });
      return { users: rows.map(toUser), total };
    },
    async update(tenant, username, patch, now) {
      const sets: string[] = ["updated_at = $now"];
      const params: Record<string, string | number | null> = { tenant, username, now };
      if (patch.sealedHa1 !== undefined) { sets.push("ha1 = $ha1"); params.ha1 = patch.sealedHa1 ?? NO_PASSWORD; }
      if (patch.role !== undefined) { sets.push("role = $role"); params.role = patch.role; }
      if (patch.email !== undefined) { sets.push("email = $email"); params.email = patch.email; }
      if (patch.emailVerified !== undefined) { sets.push("email_verified = $emailVerified"); params.emailVerified = patch.emailVerified ? 1 : 0; }
      if (patch.name !== undefined) { sets.push("name = $name"); params.name = patch.name; }
      if (patch.groups !== undefined) { sets.push("groups_json = $groups"); params.groups = JSON.stringify(patch.groups); }
      if (patch.disabled !== undefined) { sets.push("disabled = $disabled"); params.disabled = patch.disabled ? 1 : 0; }
      const result = db.query(`UPDATE users SET ${sets.join(", ")} WHERE tenant = $tenant AND username = $username`).run(params);
      return result.changes > 0;
    },
    async remove(tenant, username) {
      return remove.run({ tenant, username }).changes > 0;
    },
    async countByRole(tenant, role) {
      return countRole.get({ tenant, role })?.n ?? 0;
    },
    async raiseSessionEpoch(tenant, sub) {
      return raiseEpoch.get({ tenant, sub })?.session_epoch ?? null;
    },
  };
}
