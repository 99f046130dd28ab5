import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import { DuplicateError, type Passkey, type PasskeyRepo, type WebAuthnChallenge, type WebAuthnChallengeRepo } from "../ports.ts";
import { isUniqueViolation } from "./open-database.ts";

interface Row {
  tenant: string; credential_id: string; sub: string; public_key: string; counter: number; transports_json: string;
  backup_eligible: number; backed_up: number; aaguid: string; label: string; created_at: number; last_used_at: number | null;
}

const toPasskey = (row: Row): Passkey => ({
  tenant: row.tenant, credentialId: row.credential_id, sub: row.sub, publicKey: row.public_key, counter: row.counter,
  transports: JSON.parse(row.transports_json) as string[], backupEligible: row.backup_eligible === 1, backedUp: row.backed_up === 1,
  aaguid: row.aaguid, label: row.label, createdAt: row.created_at, lastUsedAt: row.last_used_at,
});

export function sqlitePasskeys(db: Database): PasskeyRepo {
  const insert = db.query(
    `INSERT INTO passkeys (tenant, credential_id, sub, public_key, counter, transports_json, backup_eligible, backed_up, aaguid, label, created_at)
     VALUES ($tenant, $credentialId, $sub, $publicKey, $counter, $transports, $backupEligible, $backedUp, $aaguid, $label, $createdAt)`,
  );
  const find = db.query<Row, { tenant: string; credentialId: string }>("SELECT * FROM passkeys WHERE tenant = $tenant AND credential_id = $credentialId");
  const ofUser = db.query<Row, { tenant: string; sub: string }>("SELECT * FROM passkeys WHERE tenant = $tenant AND sub = $sub ORDER BY created_at, credential_id");
  // A zero counter means the authenticator does not count (many passkeys): only a counting one can regress.
  const use = db.query(
    `UPDATE passkeys SET counter = $newCounter, backed_up = $backedUp, last_used_at = $now
     WHERE tenant = $tenant AND credential_id = $credentialId AND counter = $previousCounter AND ($newCounter > counter OR ($newCounter = 0 AND counter = 0))`,
  );
  const rename = db.query("UPDATE passkeys SET label = $label WHERE tenant = $tenant AND sub = $sub AND credential_id = $credentialId");
  const remove = db.query("DELETE FROM passkeys WHERE tenant = $tenant AND sub = $sub AND credential_id = $credentialId");
  return {
    async add(passkey) {
      try {
        insert.run({
          tenant: passkey.tenant, credentialId: passkey.credentialId, sub: passkey.sub, publicKey: passkey.publicKey, counter: passkey.counter,
          transports: JSON.stringify(passkey.transports), backupEligible: passkey.backupEligible ? 1 : 0, backedUp: passkey.backedUp ? 1 : 0,
          aaguid: passkey.aaguid, label: passkey.label, createdAt: passkey.createdAt,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateError("this passkey is already registered");
        throw error;
      }
    },
    async find(tenant, credentialId) {
      const row = find.get({ tenant, credentialId });
      return row ? toPasskey(row) : null;
    },
    async listOfUser(tenant, sub) {
      return ofUser.all({ tenant, sub }).map(toPasskey);
    },
    async recordUse(tenant, credentialId, previousCounter, newCounter, backedUp, now) {
      return use.run({ tenant, credentialId, previousCounter, newCounter, backedUp: backedUp ? 1 : 0, now }).changes === 1;
    },
    async rename(tenant, sub, credentialId, label) {
      return rename.run({ tenant, sub, credentialId, label }).changes === 1;
    },
    async remove(tenant, sub, credentialId) {
      return remove.run({ tenant, sub, credentialId }).changes === 1;
    },
  };
}

interface ChallengeRow { tenant: string; id_hash: string; purpose: string; challenge: string; sub: string | null; return_to: string | null; expires_at: number }

export function sqliteWebAuthnChallenges(db: Database): WebAuthnChallengeRepo {
  const insert = db.query(
    "INSERT INTO webauthn_challenges (tenant, id_hash, purpose, challenge, sub, return_to, expires_at) VALUES ($tenant, $idHash, $purpose, $challenge, $sub, $returnTo, $expiresAt)",
  );
  const countLive = db.query<{ n: number }, { tenant: string; now: number }>("SELECT count(*) AS n FROM webauthn_challenges WHERE tenant = $tenant AND expires_at > $now");
  const consume = db.query<ChallengeRow, { tenant: string; idHash: string; purpose: string; now: number }>(
    "DELETE FROM webauthn_challenges WHERE tenant = $tenant AND id_hash = $idHash AND purpose = $purpose AND expires_at > $now RETURNING *",
  );
  return {
    async save(challenge: WebAuthnChallenge) {
      insert.run({ ...challenge });
    },
    async countLive(tenant, now) {
      return countLive.get({ tenant, now })?.n ?? 0;
    },
    async consume(tenant, idHash, purpose, now) {
      const row = consume.get({ tenant, idHash, purpose, now });
      return row
        ? { tenant: row.tenant, idHash: row.id_hash, purpose: row.purpose as WebAuthnChallenge["purpose"], challenge: row.challenge, sub: row.sub, returnTo: row.return_to, expiresAt: row.expires_at }
        : null;
    },
  };
}
