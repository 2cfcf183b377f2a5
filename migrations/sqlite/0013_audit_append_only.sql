-- The audit log is append-only: no row is ever changed, and none younger than six months
-- (183 days) can be deleted (PIPL: who saw which personal data must stay answerable).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_keep_six_months BEFORE DELETE ON audit_log
WHEN old.at > (CAST(strftime('%s', 'now') AS INTEGER) - 183 * 86400) * 1000
BEGIN SELECT RAISE(ABORT, 'audit rows are kept for at least six months'); END;
CREATE INDEX audit_log_action ON audit_log (action, at);
