-- The first answer to each idempotency key of a grid worker's queued step (a visit, a
-- resolution sent from the phone's outbox): a resend after a lost answer gets it again;
-- the same key for other content is refused. Written in the step's own transaction.
-- Keep in step with ../sqlite/0026_step_keys.sql.
CREATE TABLE step_keys (
    key         TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    fingerprint TEXT NOT NULL,            -- keyed digest of the normalised request
    answer      TEXT NOT NULL,            -- JSON: what the first request was told
    created_at  BIGINT NOT NULL
);
CREATE INDEX step_keys_created ON step_keys (created_at);
