-- Residents (码上办): the reporter's contact, sealed at rest, and the answers of
-- idempotent public reports. Keep in step with ../sqlite/0003_residents.sql.

-- A resident's optional name and phone for a call back. Both are sealed (XChaCha20-
-- Poly1305, key outside the database); staff of the grid see them masked only.
CREATE TABLE case_contacts (
    case_id      BIGINT PRIMARY KEY REFERENCES cases (id),
    name_sealed  TEXT,
    phone_sealed TEXT
);

-- The first answer to each Idempotency-Key of POST /api/v1/public/reports (and of the
-- report form): a retry with the same body gets it again; another body is refused.
CREATE TABLE idempotency_keys (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,            -- SHA-256 of the normalised request
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
