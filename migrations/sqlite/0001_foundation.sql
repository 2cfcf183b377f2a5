-- Territory, departments, people, accounts and sessions.
-- Portable conventions (see app/src/ssr/db.rs): times are BIGINT ms since the epoch (UTC),
-- booleans 0/1 integers read as i64. Keep this file and ../postgres/0001_foundation.sql in step.

CREATE TABLE territory_nodes (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('district', 'street', 'community', 'grid', 'building')),
    parent_code TEXT REFERENCES territory_nodes (code),
    -- Materialised path '/district/street/community/grid/': a subtree is one prefix match.
    path        TEXT NOT NULL UNIQUE,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    -- GeoJSON geometry (Polygon, WGS-84) and its bounding box.
    boundary    TEXT,
    min_lng     DOUBLE PRECISION,
    min_lat     DOUBLE PRECISION,
    max_lng     DOUBLE PRECISION,
    max_lat     DOUBLE PRECISION,
    CHECK ((level = 'district') = (parent_code IS NULL))
);
CREATE INDEX territory_nodes_parent ON territory_nodes (parent_code);
CREATE INDEX territory_nodes_level ON territory_nodes (level);

CREATE TABLE departments (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'center', 'grid_leader', 'worker', 'dept')),
    node_code       TEXT REFERENCES territory_nodes (code),
    department_code TEXT REFERENCES departments (code),
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    -- Department staff belong to a department, everyone else to a territory node.
    CHECK ((role = 'dept' AND department_code IS NOT NULL AND node_code IS NULL)
        OR (role <> 'dept' AND node_code IS NOT NULL AND department_code IS NULL))
);

-- The people who serve a grid (1+3+N, 一格八员). A person serving several grids (a
-- community police officer) has one row per grid.
CREATE TABLE grid_members (
    id           INTEGER PRIMARY KEY,
    grid_code    TEXT NOT NULL REFERENCES territory_nodes (code),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('full_time', 'part_time_police', 'part_time_legal', 'part_time_property', 'support')),
    support_role TEXT CHECK (support_role IN ('party_member', 'local_worthy', 'volunteer', 'resident_rep', 'legal', 'urban_management', 'market_supervision', 'fire_safety')),
    duties       TEXT NOT NULL DEFAULT '',
    work_phone   TEXT NOT NULL DEFAULT '',
    account_id   INTEGER REFERENCES accounts (id),
    sort_order   INTEGER NOT NULL DEFAULT 0,
    CHECK ((kind = 'support') = (support_role IS NOT NULL))
);
CREATE INDEX grid_members_grid ON grid_members (grid_code);
CREATE INDEX grid_members_account ON grid_members (account_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expiry_date BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);
