-- Grid workers' archive: households (户档案) and their members with special-population
-- tags (特殊人群), door-to-door visits (入户走访) and the audit log of revealed personal data.
-- Keep in step with ../sqlite/0005_households.sql.

-- Tags on people needing attention. Built-in ones come with a visit rule; administrators
-- add their own. visit_every_days NULL: the tag asks for no regular visit.
CREATE TABLE population_tags (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    visit_every_days BIGINT CHECK (visit_every_days IS NULL OR visit_every_days BETWEEN 1 AND 366),
    builtin          BIGINT NOT NULL DEFAULT 0,
    sort_order       BIGINT NOT NULL DEFAULT 0
);
INSERT INTO population_tags (code, name, name_en, visit_every_days, builtin, sort_order) VALUES
    ('elderly_alone', '独居老人', 'Elderly living alone', 7, 1, 1),
    ('child_in_difficulty', '困境儿童', 'Child in difficulty', 30, 1, 2),
    ('disabled', '残疾人', 'Person with disability', 30, 1, 3),
    ('unemployed', '失业人员', 'Unemployed', 30, 1, 4),
    ('subsistence', '低保/五保', 'Subsistence allowance', 30, 1, 5);

CREATE TABLE households (
    id               BIGSERIAL PRIMARY KEY,
    grid_code        TEXT NOT NULL REFERENCES territory_nodes (code),
    building         TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL,
    -- The shortest visit rule among the members' tags, kept by the domain whenever the
    -- members change, so that "overdue" is one indexed comparison.
    visit_every_days BIGINT,
    last_visit_at    BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (grid_code, address)
);
CREATE INDEX households_rule ON households (grid_code, visit_every_days, last_visit_at);

-- Phone and ID numbers are sealed (XChaCha20-Poly1305, key outside the database); the
-- masked forms are what every list shows.
CREATE TABLE household_members (
    id           BIGSERIAL PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES households (id),
    name         TEXT NOT NULL,
    relation     TEXT NOT NULL DEFAULT '',
    phone_sealed TEXT,
    phone_masked TEXT NOT NULL DEFAULT '',
    id_sealed    TEXT,
    id_masked    TEXT NOT NULL DEFAULT '',
    birth_year   BIGINT,
    tags         TEXT NOT NULL DEFAULT '',   -- tag codes separated by commas
    sort_order   BIGINT NOT NULL DEFAULT 0,
    UNIQUE (household_id, name)
);

CREATE TABLE visits (
    id           BIGSERIAL PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES households (id),
    grid_code    TEXT NOT NULL REFERENCES territory_nodes (code),
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    visited_at   BIGINT NOT NULL,
    minutes      BIGINT NOT NULL CHECK (minutes BETWEEN 1 AND 480),
    lat          DOUBLE PRECISION,
    lng          DOUBLE PRECISION,
    notes        TEXT NOT NULL DEFAULT '',
    needs        TEXT NOT NULL DEFAULT '',
    photo        TEXT,
    case_id      BIGINT REFERENCES cases (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX visits_household ON visits (household_id, visited_at);
CREATE INDEX visits_account ON visits (account_id, visited_at);

-- Who saw which personal data in full, and when. Never updated or deleted.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    at           BIGINT NOT NULL,
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   BIGINT NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);
CREATE INDEX audit_log_account ON audit_log (account_id, at);

-- The work ledger reads a worker's own steps and reports by month.
CREATE INDEX case_events_actor ON case_events (actor_account, at);
CREATE INDEX cases_reporter ON cases (reporter_account, reported_at);
