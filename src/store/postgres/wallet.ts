import type {
  TrustAnchorRecord, VerifierRepo, VerifierSettings, WalletLinkRepo, WalletTransactionRecord, WalletTransactionRepo, WalletTransactionStatus,
} from "../ports.ts";
import type { Sql } from "./connect.ts";

interface VerifierRow {
  tenant: string; certificate_chain_pem: string | null; sealed_private_key: string | null; identity_source: string | null;
  client_id_prefix: string; wallet_scheme: string; dcql_query_json: string | null; wallet_signup: boolean;
}

export function postgresVerifiers(sql: Sql): VerifierRepo {
  return {
    async settings(tenant) {
      const [row] = await sql<VerifierRow[]>`SELECT * FROM verifiers WHERE tenant = ${tenant}`;
      if (!row) return null;
      return {
        tenant, certificateChainPem: row.certificate_chain_pem, sealedPrivateKey: row.sealed_private_key,
        identitySource: row.identity_source as VerifierSettings["identitySource"], clientIdPrefix: row.client_id_prefix as VerifierSettings["clientIdPrefix"],
        walletScheme: row.wallet_scheme, dcqlQueryJson: row.dcql_query_json, walletSignup: row.wallet_signup,
      };
    },
    async savePolicy(tenant, policy) {
      await sql`INSERT INTO verifiers (tenant, client_id_prefix, wallet_scheme, dcql_query_json, wallet_signup)
        VALUES (${tenant}, ${policy.clientIdPrefix}, ${policy.walletScheme}, ${policy.dcqlQueryJson}, ${policy.walletSignup})
        ON CONFLICT (tenant) DO UPDATE SET client_id_prefix = EXCLUDED.client_id_prefix, wallet_scheme = EXCLUDED.wallet_scheme,
          dcql_query_json = EXCLUDED.dcql_query_json, wallet_signup = EXCLUDED.wallet_signup`;
    },
    async installIdentity(tenant, chain, key, source) {
      // A development identity only where none exists: two nodes making one at once keep the first.
      const result = source === "operator"
        ? await sql`INSERT INTO verifiers (tenant, certificate_chain_pem, sealed_private_key, identity_source) VALUES (${tenant}, ${chain}, ${key}, 'operator')
            ON CONFLICT (tenant) DO UPDATE SET certificate_chain_pem = EXCLUDED.certificate_chain_pem, sealed_private_key = EXCLUDED.sealed_private_key, identity_source = 'operator'`
        : await sql`INSERT INTO verifiers (tenant, certificate_chain_pem, sealed_private_key, identity_source) VALUES (${tenant}, ${chain}, ${key}, 'development')
            ON CONFLICT (tenant) DO UPDATE SET certificate_chain_pem = EXCLUDED.certificate_chain_pem, sealed_private_key = EXCLUDED.sealed_private_key, identity_source = 'development'
            WHERE verifiers.certificate_chain_pem IS NULL`;
      return result.count === 1;
    },
    async clientDcqlQuery(tenant, clientId) {
      const [row] = await sql<{ dcql_query_json: string }[]>`SELECT dcql_query_json FROM client_dcql_queries WHERE tenant = ${tenant} AND client_id = ${clientId}`;
      return row?.dcql_query_json ?? null;
    },
    async setClientDcqlQuery(tenant, clientId, json) {
      if (json === null) await sql`DELETE FROM client_dcql_queries WHERE tenant = ${tenant} AND client_id = ${clientId}`;
      else await sql`INSERT INTO client_dcql_queries (tenant, client_id, dcql_query_json) VALUES (${tenant}, ${clientId}, ${json})
        ON CONFLICT (tenant, client_id) DO UPDATE SET dcql_query_json = EXCLUDED.dcql_query_json`;
    },
    async trustAnchors(tenant): Promise<TrustAnchorRecord[]> {
      const rows = await sql<{ tenant: string; fingerprint: string; pem: string; subject: string; added_at: number }[]>`SELECT * FROM trust_anchors
        WHERE tenant = ${tenant} ORDER BY added_at, fingerprint`;
      return rows.map((row) => ({ tenant: row.tenant, fingerprint: row.fingerprint, pem: row.pem, subject: row.subject, addedAt: row.added_at }));
    },
    async addTrustAnchor(anchor) {
      return (await sql`INSERT INTO trust_anchors (tenant, fingerprint, pem, subject, added_at)
        VALUES (${anchor.tenant}, ${anchor.fingerprint}, ${anchor.pem}, ${anchor.subject}, ${anchor.addedAt}) ON CONFLICT DO NOTHING`).count === 1;
    },
    async removeTrustAnchor(tenant, fingerprint) {
      return (await sql`DELETE FROM trust_anchors WHERE tenant = ${tenant} AND fingerprint = ${fingerprint}`).count === 1;
    },
  };
}

interface TransactionRow {
  tenant: string; id: string; purpose: string; client_id: string | null; sub: string | null; return_to: string | null; page_secret_hash: string | null;
  transaction_json: string; sealed_response_key: string; status: string; result_json: string | null; error: string | null;
  response_code_hash: string | null; expires_at: number; flow: string; device_confirmed: boolean; failed_check: string | null;
}

export function postgresWalletTransactions(sql: Sql): WalletTransactionRepo {
  const undecidedLink = (tenant: string, id: string, code: string, expiresAfter: number) =>
    sql`tenant = ${tenant} AND id = ${id} AND purpose = 'link' AND status = 'verified' AND NOT device_confirmed AND response_code_hash = ${code} AND expires_at > ${expiresAfter}`;
  return {
    async create(record) {
      await sql`INSERT INTO wallet_transactions (tenant, id, purpose, client_id, sub, return_to, page_secret_hash, transaction_json, sealed_response_key, status, expires_at, flow)
        VALUES (${record.tenant}, ${record.id}, ${record.purpose}, ${record.clientId}, ${record.sub}, ${record.returnTo}, ${record.pageSecretHash},
          ${record.transactionJson}, ${record.sealedResponseKey}, ${record.status}, ${record.expiresAt}, ${record.flow})`;
    },
    async get(tenant, id) {
      const [row] = await sql<TransactionRow[]>`SELECT * FROM wallet_transactions WHERE tenant = ${tenant} AND id = ${id}`;
      if (!row) return null;
      return {
        tenant: row.tenant, id: row.id, purpose: row.purpose as WalletTransactionRecord["purpose"], clientId: row.client_id, sub: row.sub, returnTo: row.return_to,
        pageSecretHash: row.page_secret_hash, transactionJson: row.transaction_json, sealedResponseKey: row.sealed_response_key,
        status: row.status as WalletTransactionStatus, resultJson: row.result_json, error: row.error, responseCodeHash: row.response_code_hash, expiresAt: row.expires_at,
        flow: row.flow as WalletTransactionRecord["flow"], deviceConfirmed: row.device_confirmed, failedCheck: row.failed_check,
      };
    },
    async markRetrieved(tenant, id) {
      await sql`UPDATE wallet_transactions SET status = 'retrieved' WHERE tenant = ${tenant} AND id = ${id} AND status = 'pending'`;
    },
    async claimForResponse(tenant, id, now) {
      return (await sql`UPDATE wallet_transactions SET status = 'verifying'
        WHERE tenant = ${tenant} AND id = ${id} AND status IN ('pending', 'retrieved') AND expires_at > ${now}`).count === 1;
    },
    async finish(tenant, id, status, result, error, responseCodeHash = null, failedCheck = null) {
      await sql`UPDATE wallet_transactions SET status = ${status}, result_json = ${result}, error = ${error}, response_code_hash = ${responseCodeHash}, failed_check = ${failedCheck}
        WHERE tenant = ${tenant} AND id = ${id} AND status = 'verifying'`;
    },
    async countLive(tenant, now) {
      const [row] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM wallet_transactions WHERE tenant = ${tenant} AND expires_at > ${now}`;
      return row?.n ?? 0;
    },
    async complete(tenant, id) {
      // A link completes only once the wallet's device confirmed it (the relay defence of a link).
      return (await sql`UPDATE wallet_transactions SET status = 'completed'
        WHERE tenant = ${tenant} AND id = ${id} AND status = 'verified' AND (purpose <> 'link' OR device_confirmed)`).count === 1;
    },
    async decideLink(tenant, id, responseCodeHash, decision, expiresAfter) {
      const where = undecidedLink(tenant, id, responseCodeHash, expiresAfter);
      const result = decision === "confirm"
        ? await sql`UPDATE wallet_transactions SET device_confirmed = true WHERE ${where}`
        : await sql`UPDATE wallet_transactions SET status = 'failed', error = 'the link was declined on the device where the wallet opened', failed_check = 'link_declined' WHERE ${where}`;
      return result.count === 1;
    },
  };
}

export function postgresWalletLinks(sql: Sql): WalletLinkRepo {
  return {
    async find(tenant, linkKey) {
      const [row] = await sql<{ sub: string }[]>`SELECT sub FROM wallet_links WHERE tenant = ${tenant} AND link_key = ${linkKey}`;
      return row?.sub ?? null;
    },
    async add(tenant, linkKey, sub, now) {
      return (await sql`INSERT INTO wallet_links (tenant, link_key, sub, created_at) VALUES (${tenant}, ${linkKey}, ${sub}, ${now}) ON CONFLICT DO NOTHING`).count === 1;
    },
    async countOfUser(tenant, sub) {
      const [row] = await sql<{ n: number }[]>`SELECT count(*) AS n FROM wallet_links WHERE tenant = ${tenant} AND sub = ${sub}`;
      return row?.n ?? 0;
    },
    async listOfUser(tenant, sub) {
      const rows = await sql<{ link_key: string; created_at: number }[]>`SELECT link_key, created_at FROM wallet_links
        WHERE tenant = ${tenant} AND sub = ${sub} ORDER BY created_at, link_key`;
      return rows.map((row) => ({ linkKey: row.link_key, createdAt: row.created_at }));
    },
    async remove(tenant, sub, linkKey) {
      return (await sql`DELETE FROM wallet_links WHERE tenant = ${tenant} AND sub = ${sub} AND link_key = ${linkKey}`).count > 0;
    },
  };
}
