-- Monthly tallies per grid, so that boards and rankings sum a few thousand rows instead
-- of scanning a month of cases. `store::tallies` recomputes a grid's month inside the
-- transaction that changes one of its cases; the server rebuilds the table when it is
-- empty (first start after this migration). `axis` says which time puts a row in its
-- month and what `subject` is:
--   reported     reported_at;  subject = reporter account id ('' for none)
--   department   reported_at;  subject = a department the case is dispatched to (lead or co-handler)
--   resolved     resolved_at;  subject = ''
--   dispatched   a dispatch's dispatched_at; subject = its department
--   dept_resolved a dispatch's resolved_at; subject = its department
-- `colour` is the case's colour on the reported axes ('open' for open cases, whose colour
-- changes with time and is computed when read), '' elsewhere.
CREATE TABLE case_tallies (
    grid_code             TEXT NOT NULL,
    grid_path             TEXT NOT NULL,
    month                 BIGINT NOT NULL,
    axis                  TEXT NOT NULL,
    subject               TEXT NOT NULL,
    colour                TEXT NOT NULL,
    cases                 BIGINT NOT NULL,
    completed             BIGINT NOT NULL,
    on_time               BIGINT NOT NULL,
    satisfied             BIGINT NOT NULL,
    basically             BIGINT NOT NULL,
    dissatisfied          BIGINT NOT NULL,
    closed_unrated        BIGINT NOT NULL,
    resident_satisfied    BIGINT NOT NULL,
    resident_basically    BIGINT NOT NULL,
    resident_dissatisfied BIGINT NOT NULL,
    ack_due               BIGINT NOT NULL,
    ack_on_time           BIGINT NOT NULL,
    PRIMARY KEY (grid_code, month, axis, subject, colour)
);
CREATE INDEX case_tallies_axis ON case_tallies (axis, month, grid_path);

-- A dispatch's grid, so that a grid's month of dispatches is one index range.
ALTER TABLE case_dispatches ADD COLUMN grid_code TEXT NOT NULL DEFAULT '';
UPDATE case_dispatches SET grid_code = (SELECT c.grid_code FROM cases c WHERE c.id = case_dispatches.case_id);
CREATE INDEX case_dispatches_grid_dispatched ON case_dispatches (grid_code, dispatched_at);
CREATE INDEX case_dispatches_grid_resolved ON case_dispatches (grid_code, resolved_at);

-- Open cases, whose colour is computed when read: a small covering index of the backlog.
CREATE INDEX cases_open ON cases (grid_path, reported_at, status, deadline_at, ack_due_at, repeat_count, feedback, closed_without_feedback, grid_code, lat, lng, category, tier)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
-- Cases red for good (a repeat, or a dissatisfied rating), for the red list.
CREATE INDEX cases_red_for_good ON cases (reported_at) WHERE repeat_count >= 2 OR feedback = 'dissatisfied';
-- A month of cases, covering what KPIs and map viewports read, so that they never visit
-- the table (replaces the plain index on reported_at); and resolutions by time.
DROP INDEX cases_reported_at;
CREATE INDEX cases_period ON cases (reported_at, grid_path, status, tier, category, feedback, closed_without_feedback,
    repeat_count, deadline_at, ack_due_at, resolved_at, lat, lng, grid_code);
DROP INDEX cases_resolved_at;
CREATE INDEX cases_resolved_at ON cases (resolved_at, grid_path, status);
-- Resolutions by time, for the grid workers' simple cases closed in time.
CREATE INDEX case_events_action_at ON case_events (action, at);
