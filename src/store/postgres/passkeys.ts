import { DuplicateError, type Passkey, type PasskeyRepo, type WebAuthnChallenge, type WebAuthnChallengeRepo } from "../ports.ts";
import { isUniqueViolation, type Sql } from "./connect.ts";

interface Row {
  tenant: string; credential_id: string; sub: string; public_key: string; counter: number; transports_json: string;
  backup_eligible: boolean; backed_up: boolean; aaguid: string; label: string; created_at: number; last_used_at: number | null;
}

const toPasskey = (row: Row): Passkey => ({
  tenant: row.tenant, credentialId: row.credential_id, sub: row.sub, publicKey: row.public_key, counter: row.counter,
  transports: JSON.parse(row.transports_json) as string[], backupEligible: row.backup_eligible, backedUp: row.backed_up,
  aaguid: row.aaguid, label: row.label, createdAt: row.created_at, lastUsedAt: row.last_used_at,
});

export function postgresPasskeys(sql: Sql): PasskeyRepo {
  return {
    async add(passkey) {
      try {
        await sql`INSERT INTO passkeys (tenant, credential_id, sub, public_key, counter, transports_json, backup_eligible, backed_up, aaguid, label, created_at)
          VALUES (${passkey.tenant}, ${passkey.credentialId}, ${passkey.sub}, ${passkey.publicKey}, ${passkey.counter}, ${JSON.stringify(passkey.transports)},
            ${passkey.backupEligible}, ${passkey.backedUp}, ${passkey.aaguid}, ${passkey.label}, ${passkey.createdAt})`;
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError("this passkey is already registered");
        throw error;
      }
    },
    async find(tenant, credentialId) {
      const [row] = await sql<Row[]>`SELECT * FROM passkeys WHERE tenant = ${tenant} AND credential_id = ${credentialId}`;
      return row ? toPasskey(row) : null;
    },
    async listOfUser(tenant, sub) {
      return (await sql<Row[]>`SELECT * FROM passkeys WHERE tenant = ${tenant} AND sub = ${sub} ORDER BY created_at, credential_id`).map(toPasskey);
    },
    async recordUse(tenant, credentialId, previousCounter, newCounter, backedUp, now) {
      // A zero counter means the authenticator does not count (many passkeys): only a counting one can regress.
      return (await sql`UPDATE passkeys SET counter = ${newCounter}, backed_up = ${backedUp}, last_used_at = ${now}
        WHERE tenant = ${tenant} AND credential_id = ${credentialId} AND counter = ${previousCounter}
          AND (${newCounter}::bigint > counter OR (${newCounter}::bigint = 0 AND counter = 0))`).count === 1;
    },
    async rename(tenant, sub, credentialId, label) {
      return (await sql`UPDATE passkeys SET label = ${label} WHERE tenant = ${tenant} AND sub = ${sub} AND credential_id = ${credentialId}`).count === 1;
    },
    async remove(tenant, sub, credentialId) {
      return (await sql`DELETE FROM passkeys WHERE tenant = ${tenant} AND sub = ${sub} AND credential_id = ${credentialId}`).count === 1;
    },
  };
}

interface ChallengeRow { tenant: string; id_hash: string; purpose: string; challenge: string; sub: string | null; return_to: string | null; expires_at: number }

export function postgresWebAuthnChallenges(sql: Sql): WebAuthnChallengeRepo {
  return {
    async save(challenge: WebAuthnChallenge) {
      await sql`INSERT INTO webauthn_challenges (tenant, id_hash, purpose, challenge, sub, return_to, expires_at)
        VALUES (${challenge.tenant}, ${challenge.idHash}, ${challenge.purpose}, ${challenge.challenge}, ${challenge.sub}, ${challenge.returnTo}, ${challenge.expiresAt})`;
    },
    async countLive(tenant, now) {
      const [row] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM webauthn_challenges WHERE tenant = ${tenant} AND expires_at > ${now}`;
      return row?.n ?? 0;
    },
    async consume(tenant, idHash, purpose, now) {
      const [row] = await sql<ChallengeRow[]>`DELETE FROM webauthn_challenges
        WHERE tenant = ${tenant} AND id_hash = ${idHash} AND purpose = ${purpose} AND expires_at > ${now} RETURNING *`;
      return row
        ? { tenant: row.tenant, idHash: row.id_hash, purpose: row.purpose as WebAuthnChallenge["purpose"], challenge: row.challenge, sub: row.sub, returnTo: row.return_to, expiresAt: row.expires_at }
        : null;
    },
  };
}
