import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type { JtiRepo, SetupTokenRepo } from "../ports.ts";

export function sqliteJti(db: Database): JtiRepo {
  const claim = db.query("INSERT OR IGNORE INTO used_jtis (tenant, jti, expires_at) VALUES ($tenant, $jti, $expiresAt)");
  return {
    async claimOnce(tenant, jti, expiresAt) {
      return claim.run({ tenant, jti, expiresAt }).changes === 1;
    },
  };
}

export function sqliteSetupTokens(db: Database): SetupTokenRepo {
  const replace = db.query("INSERT OR REPLACE INTO setup_tokens (tenant, token_hash, expires_at) VALUES ($tenant, $tokenHash, $expiresAt)");
  const consume = db.query("DELETE FROM setup_tokens WHERE tenant = $tenant AND token_hash = $tokenHash AND expires_at > $now");
  return {
    async replace(tenant, tokenHash, expiresAt) {
      replace.run({ tenant, tokenHash, expiresAt });
    },
    async consume(tenant, tokenHash, now) {
      return consume.run({ tenant, tokenHash, now }).changes === 1;
    },
  };
}
