-- Accounts administered in the app. A temporary password (from an administrator) must be
-- replaced at the next login; changing or resetting a password moves the account's
-- credentials version on, which ends every session that carries an older one.
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN credentials_version INTEGER NOT NULL DEFAULT 0;
