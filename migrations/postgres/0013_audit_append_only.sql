-- The audit log is append-only: no row is ever changed, and none younger than six months
-- (183 days) can be deleted (PIPL: who saw which personal data must stay answerable).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the audit log is append-only';
    END IF;
    IF OLD.at > (EXTRACT(EPOCH FROM now())::BIGINT - 183 * 86400) * 1000 THEN
        RAISE EXCEPTION 'audit rows are kept for at least six months';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE INDEX audit_log_action ON audit_log (action, at);
