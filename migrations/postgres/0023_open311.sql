-- Open311 GeoReport v2 (docs/INTEGRATIONS.md): the `open311` source, API keys issued by
-- administrators (only a hash is kept), and the requests filed through them. Keep in step
-- with ../sqlite/0023_open311.sql (which must rebuild `cases` instead).
ALTER TABLE cases DROP CONSTRAINT cases_source_check;
ALTER TABLE cases ADD CONSTRAINT cases_source_check CHECK (source IN ('grid_worker', 'resident_qr',
    'hotline', 'department', 'patrol', 'open311'));

CREATE TABLE open311_keys (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    rate_limit   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES accounts (id),
    revoked_at   BIGINT,
    last_used_at BIGINT
);

CREATE TABLE open311_requests (
    token      TEXT PRIMARY KEY,
    case_id    BIGINT NOT NULL UNIQUE REFERENCES cases (id),
    key_id     BIGINT NOT NULL REFERENCES open311_keys (id),
    address    TEXT,
    media_url  TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX open311_requests_key ON open311_requests (key_id, created_at);

CREATE TABLE open311_updates (
    key_id    BIGINT NOT NULL REFERENCES open311_keys (id),
    client_id TEXT NOT NULL,
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    seq       BIGINT NOT NULL,
    PRIMARY KEY (key_id, client_id)
);

-- Open311 reporters may leave an email; sealed like the name and phone.
ALTER TABLE case_contacts ADD COLUMN email_sealed TEXT;
-- "Never a case raised on a household visit": the published lists ask per case.
CREATE INDEX visits_case ON visits (case_id) WHERE case_id IS NOT NULL;
