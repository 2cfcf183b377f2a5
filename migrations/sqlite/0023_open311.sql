-- Open311 GeoReport v2 (docs/INTEGRATIONS.md): the `open311` source, API keys issued by
-- administrators (only a hash is kept), and the requests filed through them (their token,
-- the key that filed them, the client's media URL and address). Keep in step with
-- ../postgres/0023_open311.sql.
--
-- SQLite cannot change a CHECK constraint in place: `cases` is rebuilt as in 0020 (copy,
-- drop, rename, indexes again, check the foreign keys), on the migration connection with
-- foreign keys off (ssr/db.rs).

CREATE TABLE cases_new (
    id                      INTEGER PRIMARY KEY,
    tracking_code           TEXT NOT NULL UNIQUE,
    source                  TEXT NOT NULL CHECK (source IN ('grid_worker', 'resident_qr', 'hotline', 'department', 'patrol', 'open311')),
    category                TEXT NOT NULL REFERENCES categories (code),
    description             TEXT NOT NULL,
    lat                     DOUBLE PRECISION NOT NULL,
    lng                     DOUBLE PRECISION NOT NULL,
    grid_code               TEXT NOT NULL REFERENCES territory_nodes (code),
    -- The grid's materialised path, copied so that scoping is one prefix match.
    grid_path               TEXT NOT NULL,
    status                  TEXT NOT NULL CHECK (status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling', 'verifying', 'resolved', 'closed', 'merged', 'invalid', 'deferred')),
    tier                    TEXT CHECK (tier IN ('simple', 'coordination', 'key')),
    handling_level          TEXT NOT NULL CHECK (handling_level IN ('district', 'street', 'community', 'grid')),
    reported_at             BIGINT NOT NULL,
    clock_started_at        BIGINT,
    deadline_at             BIGINT,
    -- The earliest acknowledgement due among dispatches still waiting for one (for boards).
    ack_due_at              BIGINT,
    resolved_at             BIGINT,
    closed_at               BIGINT,
    repeat_count            INTEGER NOT NULL DEFAULT 0,
    supervised              INTEGER NOT NULL DEFAULT 0,
    extension               TEXT NOT NULL DEFAULT 'none' CHECK (extension IN ('none', 'requested', 'approved', 'rejected')),
    extension_days          INTEGER,
    feedback                TEXT CHECK (feedback IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    closed_without_feedback INTEGER NOT NULL DEFAULT 0,
    merged_into             INTEGER REFERENCES cases (id),
    reporter_account        INTEGER REFERENCES accounts (id),
    updated_at              BIGINT NOT NULL,
    red_at                  BIGINT,
    urgent                  INTEGER NOT NULL DEFAULT 0,
    invalid_reason          TEXT CHECK (invalid_reason IN ('duplicate', 'not_our_remit', 'not_a_problem', 'cannot_locate', 'malicious')),
    verify_due_at           BIGINT,
    rework_count            INTEGER NOT NULL DEFAULT 0,     -- failed on-site checks (返工)
    checks                  INTEGER NOT NULL DEFAULT 0,     -- on-site checks made (核查)
    checks_on_time          INTEGER NOT NULL DEFAULT 0,     -- of them within the limit (及时核查)
    deferrals               INTEGER NOT NULL DEFAULT 0,     -- times deferred (缓办)
    deferral                TEXT NOT NULL DEFAULT 'none' CHECK (deferral IN ('none', 'requested', 'deferred', 'rejected')),
    deferral_review_on      TEXT,              -- YYYY-MM-DD, district time
    deferral_resume_to      TEXT,              -- the status a deferred case returns to
    deferral_remaining_secs BIGINT,            -- working seconds it had left
    subcategory             TEXT REFERENCES categories (code)
);
INSERT INTO cases_new (id, tracking_code, source, category, description, lat, lng, grid_code, grid_path,
    status, tier, handling_level, reported_at, clock_started_at, deadline_at, ack_due_at, resolved_at,
    closed_at, repeat_count, supervised, extension, extension_days, feedback, closed_without_feedback,
    merged_into, reporter_account, updated_at, red_at, urgent, invalid_reason, verify_due_at, rework_count,
    checks, checks_on_time, deferrals, deferral, deferral_review_on, deferral_resume_to, deferral_remaining_secs,
    subcategory)
SELECT id, tracking_code, source, category, description, lat, lng, grid_code, grid_path,
    status, tier, handling_level, reported_at, clock_started_at, deadline_at, ack_due_at, resolved_at,
    closed_at, repeat_count, supervised, extension, extension_days, feedback, closed_without_feedback,
    merged_into, reporter_account, updated_at, red_at, urgent, invalid_reason, verify_due_at, rework_count,
    checks, checks_on_time, deferrals, deferral, deferral_review_on, deferral_resume_to, deferral_remaining_secs,
    subcategory
FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;

CREATE INDEX cases_grid_path ON cases (grid_path);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_category_status ON cases (category, status);
CREATE INDEX cases_reporter ON cases (reporter_account, reported_at);
CREATE INDEX cases_open ON cases (grid_path, reported_at, status, deadline_at, ack_due_at, repeat_count, feedback, closed_without_feedback, grid_code, lat, lng, category, tier)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
CREATE INDEX cases_red_for_good ON cases (reported_at) WHERE repeat_count >= 2 OR feedback = 'dissatisfied';
CREATE INDEX cases_open_red_at ON cases (red_at, grid_path)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
CREATE INDEX cases_path_period ON cases (grid_path, reported_at, status, tier, category, feedback, closed_without_feedback,
    repeat_count, deadline_at, ack_due_at, resolved_at, lat, lng, grid_code);
CREATE INDEX cases_grid_resolved ON cases (grid_path, resolved_at, status, deadline_at, feedback);
CREATE INDEX cases_open_by_due ON cases ((COALESCE(deadline_at, ack_due_at, reported_at)), id)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
-- Checked cases of a period, for 返工率 and 及时核查率 per department and area.
CREATE INDEX cases_checked ON cases (reported_at) WHERE checks > 0;
-- The deferred cases whose review date has come (the resume sweep).
CREATE INDEX cases_deferred ON cases (deferral_review_on) WHERE status = 'deferred';

-- Nothing may point nowhere after the rebuild.
CREATE TEMP TABLE fk_violations (n INTEGER CHECK (n = 0));
INSERT INTO fk_violations SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE fk_violations;

CREATE TABLE open311_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    -- SHA-256 of the key under the server's secret; the key itself is shown once.
    key_hash   TEXT NOT NULL UNIQUE,
    -- Requests posted per minute.
    rate_limit INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    revoked_at BIGINT,
    last_used_at BIGINT
);

CREATE TABLE open311_requests (
    token      TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL UNIQUE REFERENCES cases (id),
    key_id     INTEGER NOT NULL REFERENCES open311_keys (id),
    address    TEXT,
    media_url  TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX open311_requests_key ON open311_requests (key_id, created_at);

-- Comments posted by an integrator (servicerequestupdates), kept as case events; this
-- remembers which key posted which, so a retried post is answered, not duplicated.
CREATE TABLE open311_updates (
    key_id     INTEGER NOT NULL REFERENCES open311_keys (id),
    client_id  TEXT NOT NULL,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    seq        INTEGER NOT NULL,
    PRIMARY KEY (key_id, client_id)
);

-- Open311 reporters may leave an email; sealed like the name and phone.
ALTER TABLE case_contacts ADD COLUMN email_sealed TEXT;
-- "Never a case raised on a household visit": the published lists ask per case.
CREATE INDEX visits_case ON visits (case_id) WHERE case_id IS NOT NULL;
