/**
 * A removed client's grants end with it, in the same statement that removes it: its refresh tokens
 * stop working and so do the access tokens of those grants (revocation is checked per grant), even
 * if a client is later registered again under the same client_id.
 */
export const clientRemovalSchema = `
CREATE TRIGGER clients_removed_revoke_grants AFTER DELETE ON clients
BEGIN
  UPDATE grants SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER)
  WHERE tenant = OLD.tenant AND client_id = OLD.client_id AND revoked_at IS NULL;
END;
`;
