import type { SqliteDatabase as Database } from "../../runtime/sqlite.ts";
import type {
  TrustAnchorRecord, VerifierRepo, VerifierSettings, WalletLinkRepo, WalletTransactionRecord, WalletTransactionRepo, WalletTransactionStatus,
} from "../ports.ts";

interface VerifierRow {
  tenant: string; certificate_chain_pem: string | null; sealed_private_key: string | null; identity_source: string | null;
  client_id_prefix: string; wallet_scheme: string; dcql_query_json: string | null; wallet_signup: number;
}

export function sqliteVerifiers(db: Database): VerifierRepo {
  const get = db.query<VerifierRow, { tenant: string }>("SELECT * FROM verifiers WHERE tenant = $tenant");
  const savePolicy = db.query(
    `INSERT INTO verifiers (tenant, client_id_prefix, wallet_scheme, dcql_query_json, wallet_signup) VALUES ($tenant, $prefix, $scheme, $dcql, $signup)
     ON CONFLICT (tenant) DO UPDATE SET client_id_prefix = $prefix, wallet_scheme = $scheme, dcql_query_json = $dcql, wallet_signup = $signup`,
  );
  const installDevelopment = db.query(
    `INSERT INTO verifiers (tenant, certificate_chain_pem, sealed_private_key, identity_source) VALUES ($tenant, $chain, $key, 'development')
     ON CONFLICT (tenant) DO UPDATE SET certificate_chain_pem = $chain, sealed_private_key = $key, identity_source = 'development'
     WHERE certificate_chain_pem IS NULL`,
  );
  const installOperator = db.query(
    `INSERT INTO verifiers (tenant, certificate_chain_pem, sealed_private_key, identity_source) VALUES ($tenant, $chain, $key, 'operator')
     ON CONFLICT (tenant) DO UPDATE SET certificate_chain_pem = $chain, sealed_private_key = $key, identity_source = 'operator'`,
  );
  const clientQuery = db.query<{ dcql_query_json: string }, { tenant: string; clientId: string }>(
    "SELECT dcql_query_json FROM client_dcql_queries WHERE tenant = $tenant AND client_id = $clientId",
  );
  const setClientQuery = db.query(
    `INSERT INTO client_dcql_queries (tenant, client_id, dcql_query_json) VALUES ($tenant, $clientId, $json)
     ON CONFLICT (tenant, client_id) DO UPDATE SET dcql_query_json = $json`,
  );
  const clearClientQuery = db.query("DELETE FROM client_dcql_queries WHERE tenant = $tenant AND client_id = $clientId");
  const anchors = db.query<{ tenant: string; fingerprint: string; pem: string; subject: string; added_at: number }, { tenant: string }>(
    "SELECT * FROM trust_anchors WHERE tenant = $tenant ORDER BY added_at, fingerprint",
  );
  const addAnchor = db.query("INSERT OR IGNORE INTO trust_anchors (tenant, fingerprint, pem, subject, added_at) VALUES ($tenant, $fingerprint, $pem, $subject, $addedAt)");
  const removeAnchor = db.query("DELETE FROM trust_anchors WHERE tenant = $tenant AND fingerprint = $fingerprint");
  return {
    async settings(tenant) {
      const row = get.get({ tenant });
      if (!row) return null;
      return {
        tenant, certificateChainPem: row.certificate_chain_pem, sealedPrivateKey: row.sealed_private_key,
        identitySource: row.identity_source as VerifierSettings["identitySource"], clientIdPrefix: row.client_id_prefix as VerifierSettings["clientIdPrefix"],
        walletScheme: row.wallet_scheme, dcqlQueryJson: row.dcql_query_json, walletSignup: row.wallet_signup === 1,
      };
    },
    async savePolicy(tenant, policy) {
      savePolicy.run({ tenant, prefix: policy.clientIdPrefix, scheme: policy.walletScheme, dcql: policy.dcqlQueryJson, signup: policy.walletSignup ? 1 : 0 });
    },
    async installIdentity(tenant, chain, key, source) {
      return (source === "operator" ? installOperator : installDevelopment).run({ tenant, chain, key }).changes === 1;
    },
    async clientDcqlQuery(tenant, clientId) {
      return clientQuery.get({ tenant, clientId })?.dcql_query_json ?? null;
    },
    async setClientDcqlQuery(tenant, clientId, json) {
      if (json === null) clearClientQuery.run({ tenant, clientId });
      else setClientQuery.run({ tenant, clientId, json });
    },
    async trustAnchors(tenant): Promise<TrustAnchorRecord[]> {
      return anchors.all({ tenant }).map((row) => ({ tenant: row.tenant, fingerprint: row.fingerprint, pem: row.pem, subject: row.subject, addedAt: row.added_at }));
    },
    async addTrustAnchor(anchor) {
      return addAnchor.run({ ...anchor }).changes === 1;
    },
    async removeTrustAnchor(tenant, fingerprint) {
      return removeAnchor.run({ tenant, fingerprint }).changes === 1;
    },
  };
}

interface TransactionRow {
  tenant: string; id: string; purpose: string; client_id: string | null; sub: string | null; return_to: string | null; page_secret_hash: string | null;
  transaction_json: string; sealed_response_key: string; status: string; result_json: string | null; error: string | null;
  response_code_hash: string | null; expires_at: number; flow: string; device_confirmed: number; failed_check: string | null;
}

export function sqliteWalletTransactions(db: Database): WalletTransactionRepo {
  const insert = db.query(
    `INSERT INTO wallet_transactions (tenant, id, purpose, client_id, sub, return_to, page_secret_hash, transaction_json, sealed_response_key, status, expires_at, flow)
     VALUES ($tenant, $id, $purpose, $clientId, $sub, $returnTo, $pageSecretHash, $transactionJson, $sealedResponseKey, $status, $expiresAt, $flow)`,
  );
  const get = db.query<TransactionRow, { tenant: string; id: string }>("SELECT * FROM wallet_transactions WHERE tenant = $tenant AND id = $id");
  const retrieved = db.query("UPDATE wallet_transactions SET status = 'retrieved' WHERE tenant = $tenant AND id = $id AND status = 'pending'");
  const claim = db.query(
    "UPDATE wallet_transactions SET status = 'verifying' WHERE tenant = $tenant AND id = $id AND status IN ('pending', 'retrieved') AND expires_at > $now",
  );
  const finish = db.query(
    `UPDATE wallet_transactions SET status = $status, result_json = $result, error = $error, response_code_hash = $code, failed_check = $check
     WHERE tenant = $tenant AND id = $id AND status = 'verifying'`,
  );
  // A link completes only once the wallet's device confirmed it (the relay defence of a link).
  const complete = db.query(
    "UPDATE wallet_transactions SET status = 'completed' WHERE tenant = $tenant AND id = $id AND status = 'verified' AND (purpose <> 'link' OR device_confirmed = 1)",
  );
  const undecidedLink = "tenant = $tenant AND id = $id AND purpose = 'link' AND status = 'verified' AND device_confirmed = 0 AND response_code_hash = $code AND expires_at > $expiresAfter";
  const confirmLink = db.query(`UPDATE wallet_transactions SET device_confirmed = 1 WHERE ${undecidedLink}`);
  const declineLink = db.query(
    `UPDATE wallet_transactions SET status = 'failed', error = 'the link was declined on the device where the wallet opened', failed_check = 'link_declined' WHERE ${undecidedLink}`,
  );
  const countLive = db.query<{ n: number }, { tenant: string; now: number }>("SELECT count(*) AS n FROM wallet_transactions WHERE tenant = $tenant AND expires_at > $now");
  return {
    async create(record) {
      insert.run({
        tenant: record.tenant, id: record.id, purpose: record.purpose, clientId: record.clientId, sub: record.sub, returnTo: record.returnTo, pageSecretHash: record.pageSecretHash,
        transactionJson: record.transactionJson, sealedResponseKey: record.sealedResponseKey, status: record.status, expiresAt: record.expiresAt, flow: record.flow,
      });
    },
    async get(tenant, id) {
      const row = get.get({ tenant, id });
      if (!row) return null;
      return {
        tenant: row.tenant, id: row.id, purpose: row.purpose as WalletTransactionRecord["purpose"], clientId: row.client_id, sub: row.sub, returnTo: row.return_to,
        pageSecretHash: row.page_secret_hash, transactionJson: row.transaction_json, sealedResponseKey: row.sealed_response_key,
        status: row.status as WalletTransactionStatus, resultJson: row.result_json, error: row.error, responseCodeHash: row.response_code_hash, expiresAt: row.expires_at,
        flow: row.flow as WalletTransactionRecord["flow"], deviceConfirmed: row.device_confirmed === 1, failedCheck: row.failed_check,
      };
    },
    async markRetrieved(tenant, id) {
      retrieved.run({ tenant, id });
    },
    async claimForResponse(tenant, id, now) {
      return claim.run({ tenant, id, now }).changes === 1;
    },
    async finish(tenant, id, status, result, error, responseCodeHash = null, failedCheck = null) {
      finish.run({ tenant, id, status, result, error, code: responseCodeHash, check: failedCheck });
    },
    async countLive(tenant, now) {
      return countLive.get({ tenant, now })?.n ?? 0;
    },
    async complete(tenant, id) {
      return complete.run({ tenant, id }).changes === 1;
    },
    async decideLink(tenant, id, responseCodeHash, decision, expiresAfter) {
      return (decision === "confirm" ? confirmLink : declineLink).run({ tenant, id, code: responseCodeHash, expiresAfter }).changes === 1;
    },
  };
}

export function sqliteWalletLinks(db: Database): WalletLinkRepo {
  const find = db.query<{ sub: string }, { tenant: string; linkKey: string }>("SELECT sub FROM wallet_links WHERE tenant = $tenant AND link_key = $linkKey");
  const add = db.query("INSERT OR IGNORE INTO wallet_links (tenant, link_key, sub, created_at) VALUES ($tenant, $linkKey, $sub, $now)");
  const count = db.query<{ n: number }, { tenant: string; sub: string }>("SELECT count(*) AS n FROM wallet_links WHERE tenant = $tenant AND sub = $sub");
  const ofUser = db.query<{ link_key: string; created_at: number }, { tenant: string; sub: string }>(
    "SELECT link_key, created_at FROM wallet_links WHERE tenant = $tenant AND sub = $sub ORDER BY created_at, link_key",
  );
  const unlink = db.query("DELETE FROM wallet_links WHERE tenant = $tenant AND sub = $sub AND link_key = $linkKey");
  return {
    async find(tenant, linkKey) {
      return find.get({ tenant, linkKey })?.sub ?? null;
    },
    async add(tenant, linkKey, sub, now) {
      return add.run({ tenant, linkKey, sub, now }).changes === 1;
    },
    async countOfUser(tenant, sub) {
      return count.get({ tenant, sub })?.n ?? 0;
    },
    async listOfUser(tenant, sub) {
      return ofUser.all({ tenant, sub }).map((row) => ({ linkKey: row.link_key, createdAt: row.created_at }));
    },
    async remove(tenant, sub, linkKey) {
      return unlink.run({ tenant, sub, linkKey }).changes > 0;
    },
  };
}
