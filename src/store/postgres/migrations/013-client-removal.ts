/** PostgreSQL's form of ../../migrations/013-client-removal.ts: a removed client's grants end in the statement that removes it. */
export const clientRemovalSchema = `
CREATE FUNCTION clients_removed_revoke_grants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE grants SET revoked_at = extract(epoch FROM now())::bigint
  WHERE tenant = OLD.tenant AND client_id = OLD.client_id AND revoked_at IS NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER clients_removed_revoke_grants AFTER DELETE ON clients FOR EACH ROW EXECUTE FUNCTION clients_removed_revoke_grants();
`;
