import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { SecondFactorRepo, TotpEnrolment } from "../ports.ts";
import { writeTransaction } from "./open-database.ts";

interface Row {
  tenant: string; sub: string; sealed_secret: string | null; pending_sealed_secret: string | null; pending_expires_at: number | null;
  last_time_step: number; enrolled_at: number | null;
}

const toEnrolment = (row: Row): TotpEnrolment => ({
  tenant: row.tenant, sub: row.sub, sealedSecret: row.sealed_secret, pendingSealedSecret: row.pending_sealed_secret,
  pendingExpiresAt: row.pending_expires_at, lastTimeStep: row.last_time_step, enrolledAt: row.enrolled_at,
});

export function sqliteSecondFactors(db: Database): SecondFactorRepo {
  const find = db.query<Row, { tenant: string; sub: string }>("SELECT * FROM totp_enrolments WHERE tenant = $tenant AND sub = $sub");
  const begin = db.query(
    `INSERT INTO totp_enrolments (tenant, sub, pending_sealed_secret, pending_expires_at) VALUES ($tenant, $sub, $sealed, $expiresAt)
     ON CONFLICT (tenant, sub) DO UPDATE SET pending_sealed_secret = $sealed, pending_expires_at = $expiresAt`,
  );
  const complete = db.query(
    `UPDATE totp_enrolments SET sealed_secret = pending_sealed_secret, pending_sealed_secret = NULL, pending_expires_at = NULL,
       last_time_step = $timeStep, enrolled_at = $now
     WHERE tenant = $tenant AND sub = $sub AND pending_sealed_secret = $sealed AND pending_expires_at > $now`,
  );
  const claimStep = db.query(
    "UPDATE totp_enrolments SET last_time_step = $timeStep WHERE tenant = $tenant AND sub = $sub AND sealed_secret IS NOT NULL AND last_time_step < $timeStep",
  );
  const removeEnrolment = db.query("DELETE FROM totp_enrolments WHERE tenant = $tenant AND sub = $sub");
  const removeCodes = db.query("DELETE FROM recovery_codes WHERE tenant = $tenant AND sub = $sub");
  const insertCode = db.query("INSERT OR IGNORE INTO recovery_codes (tenant, sub, code_hash) VALUES ($tenant, $sub, $codeHash)");
  const useCode = db.query("DELETE FROM recovery_codes WHERE tenant = $tenant AND sub = $sub AND code_hash = $codeHash");
  const countCodes = db.query<{ n: number }, { tenant: string; sub: string }>("SELECT count(*) AS n FROM recovery_codes WHERE tenant = $tenant AND sub = $sub");

  const replaceCodes = (tenant: string, sub: string, codeHashes: string[]) => {
    removeCodes.run({ tenant, sub });
    for (const codeHash of codeHashes) insertCode.run({ tenant, sub, codeHash });
  };

  return {
    async totp(tenant, sub) {
      const row = find.get({ tenant, sub });
      return row ? toEnrolment(row) : null;
    },
    async beginTotpEnrolment(tenant, sub, sealed, expiresAt) {
      begin.run({ tenant, sub, sealed, expiresAt });
    },
    async completeTotpEnrolment(tenant, sub, sealed, timeStep, recoveryCodeHashes, now) {
      return writeTransaction(db, () => {
        if (complete.run({ tenant, sub, sealed, timeStep, now }).changes !== 1) return false;
        replaceCodes(tenant, sub, recoveryCodeHashes);
        return true;
      });
    },
    async claimTotpStep(tenant, sub, timeStep) {
      return claimStep.run({ tenant, sub, timeStep }).changes === 1;
    },
    async removeTotp(tenant, sub) {
      return writeTransaction(db, () => {
        removeCodes.run({ tenant, sub });
        return removeEnrolment.run({ tenant, sub }).changes > 0;
      });
    },
    async replaceRecoveryCodes(tenant, sub, codeHashes) {
      writeTransaction(db, () => replaceCodes(tenant, sub, codeHashes));
    },
    async useRecoveryCode(tenant, sub, codeHash) {
      return useCode.run({ tenant, sub, codeHash }).changes === 1;
    },
    async countRecoveryCodes(tenant, sub) {
      return countCodes.get({ tenant, sub })?.n ?? 0;
    },
  };
}
