import type { SecondFactorRepo, TotpEnrolment } from "../ports.ts";
import type { Query, Sql } from "./connect.ts";

interface Row {
  tenant: string; sub: string; sealed_secret: string | null; pending_sealed_secret: string | null; pending_expires_at: number | null;
  last_time_step: number; enrolled_at: number | null;
}

const toEnrolment = (row: Row): TotpEnrolment => ({
  tenant: row.tenant, sub: row.sub, sealedSecret: row.sealed_secret, pendingSealedSecret: row.pending_sealed_secret,
  pendingExpiresAt: row.pending_expires_at, lastTimeStep: row.last_time_step, enrolledAt: row.enrolled_at,
});

async function replaceCodes(tx: Query, tenant: string, sub: string, codeMacs: string[]): Promise<void> {
  await tx`DELETE FROM recovery_codes WHERE tenant = ${tenant} AND sub = ${sub}`;
  if (codeMacs.length > 0) {
    await tx`INSERT INTO recovery_codes (tenant, sub, code_hash) SELECT ${tenant}, ${sub}, unnest(${codeMacs}::text[]) ON CONFLICT DO NOTHING`;
  }
}

export function postgresSecondFactors(sql: Sql): SecondFactorRepo {
  return {
    async totp(tenant, sub) {
      const [row] = await sql<Row[]>`SELECT * FROM totp_enrolments WHERE tenant = ${tenant} AND sub = ${sub}`;
      return row ? toEnrolment(row) : null;
    },
    async beginTotpEnrolment(tenant, sub, sealed, expiresAt) {
      await sql`INSERT INTO totp_enrolments (tenant, sub, pending_sealed_secret, pending_expires_at) VALUES (${tenant}, ${sub}, ${sealed}, ${expiresAt})
        ON CONFLICT (tenant, sub) DO UPDATE SET pending_sealed_secret = EXCLUDED.pending_sealed_secret, pending_expires_at = EXCLUDED.pending_expires_at`;
    },
    async completeTotpEnrolment(tenant, sub, sealed, timeStep, recoveryCodeMacs, now) {
      return sql.begin(async (tx) => {
        const completed = await tx`UPDATE totp_enrolments SET sealed_secret = pending_sealed_secret, pending_sealed_secret = NULL, pending_expires_at = NULL,
            last_time_step = ${timeStep}, enrolled_at = ${now}
          WHERE tenant = ${tenant} AND sub = ${sub} AND pending_sealed_secret = ${sealed} AND pending_expires_at > ${now}`;
        if (completed.count !== 1) return false;
        await replaceCodes(tx, tenant, sub, recoveryCodeMacs);
        return true;
      });
    },
    async claimTotpStep(tenant, sub, timeStep) {
      return (await sql`UPDATE totp_enrolments SET last_time_step = ${timeStep}
        WHERE tenant = ${tenant} AND sub = ${sub} AND sealed_secret IS NOT NULL AND last_time_step < ${timeStep}`).count === 1;
    },
    async removeTotp(tenant, sub) {
      return sql.begin(async (tx) => {
        await tx`DELETE FROM recovery_codes WHERE tenant = ${tenant} AND sub = ${sub}`;
        return (await tx`DELETE FROM totp_enrolments WHERE tenant = ${tenant} AND sub = ${sub}`).count > 0;
      });
    },
    async replaceRecoveryCodes(tenant, sub, codeMacs) {
      await sql.begin((tx) => replaceCodes(tx, tenant, sub, codeMacs));
    },
    async useRecoveryCode(tenant, sub, codeMac) {
      return (await sql`DELETE FROM recovery_codes WHERE tenant = ${tenant} AND sub = ${sub} AND code_hash = ${codeMac}`).count === 1;
    },
    async countRecoveryCodes(tenant, sub) {
      const [row] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM recovery_codes WHERE tenant = ${tenant} AND sub = ${sub}`;
      return row?.n ?? 0;
    },
  };
}
