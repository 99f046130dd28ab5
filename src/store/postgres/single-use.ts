import type { JtiRepo, SetupTokenRepo } from "../ports.ts";
import type { Sql } from "./connect.ts";

export function postgresJti(sql: Sql): JtiRepo {
  return {
    async claimOnce(tenant, jti, expiresAt) {
      return (await sql`INSERT INTO used_jtis (tenant, jti, expires_at) VALUES (${tenant}, ${jti}, ${expiresAt}) ON CONFLICT DO NOTHING`).count === 1;
    },
  };
}

export function postgresSetupTokens(sql: Sql): SetupTokenRepo {
  return {
    async replace(tenant, tokenHash, expiresAt) {
      await sql`INSERT INTO setup_tokens (tenant, token_hash, expires_at) VALUES (${tenant}, ${tokenHash}, ${expiresAt})
        ON CONFLICT (tenant) DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at`;
    },
    async consume(tenant, tokenHash, now) {
      return (await sql`DELETE FROM setup_tokens WHERE tenant = ${tenant} AND token_hash = ${tokenHash} AND expires_at > ${now}`).count === 1;
    },
  };
}
