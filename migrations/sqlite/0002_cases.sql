-- Cases: categories, the working calendar, cases, per-department dispatches, the
-- append-only event log, attachments and consultation records.
-- Keep in step with ../postgres/0002_cases.sql.

CREATE TABLE categories (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    -- The district's competent department, copied (知会) on coordination dispatches.
    copy_department TEXT REFERENCES departments (code),
    sort_order      INTEGER NOT NULL DEFAULT 0
);

-- Listed days of the working calendar; unlisted weekdays work, unlisted weekends rest.
CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,               -- YYYY-MM-DD, Asia/Shanghai
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cases (
    id                      INTEGER PRIMARY KEY,
    tracking_code           TEXT NOT NULL UNIQUE,
    source                  TEXT NOT NULL CHECK (source IN ('grid_worker', 'resident_qr', 'hotline', 'department', 'patrol')),
    category                TEXT NOT NULL REFERENCES categories (code),
    description             TEXT NOT NULL,
    lat                     DOUBLE PRECISION NOT NULL,
    lng                     DOUBLE PRECISION NOT NULL,
    grid_code               TEXT NOT NULL REFERENCES territory_nodes (code),
    -- The grid's materialised path, copied so that scoping is one prefix match.
    grid_path               TEXT NOT NULL,
    status                  TEXT NOT NULL CHECK (status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling', 'resolved', 'closed', 'merged')),
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
    updated_at              BIGINT NOT NULL
);
CREATE INDEX cases_grid_path ON cases (grid_path);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_reported_at ON cases (reported_at);
CREATE INDEX cases_category_status ON cases (category, status);

CREATE TABLE case_dispatches (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    seq             INTEGER NOT NULL,
    department      TEXT NOT NULL REFERENCES departments (code),
    role            TEXT NOT NULL CHECK (role IN ('lead', 'co_handler', 'copy')),
    dispatched_at   BIGINT NOT NULL,
    ack_due_at      BIGINT,
    acknowledged_at BIGINT,
    resolved_at     BIGINT,
    returned_at     BIGINT,
    withdrawn_at    BIGINT,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_dispatches_department ON case_dispatches (department, case_id);

-- Every step of every case: the timeline and the audit trail. Never updated or deleted.
CREATE TABLE case_events (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    seq           INTEGER NOT NULL,
    at            BIGINT NOT NULL,
    actor_account INTEGER REFERENCES accounts (id),
    actor_name    TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    action        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL DEFAULT '{}',
    UNIQUE (case_id, seq)
);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

CREATE TABLE case_attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    event_seq    INTEGER NOT NULL,
    file_name    TEXT NOT NULL UNIQUE,     -- random; the file lives under data/photos/
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id);

-- 会商 records of key cases.
CREATE TABLE consultations (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    held_on      TEXT NOT NULL,            -- YYYY-MM-DD
    participants TEXT NOT NULL,
    decision     TEXT NOT NULL,
    departments  TEXT NOT NULL DEFAULT '[]', -- JSON list of responsible department codes
    created_by   INTEGER NOT NULL REFERENCES accounts (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX consultations_case ON consultations (case_id);
