-- SQLite 3.46 with STAT4 statistics prefers a skip-scan over the (grid_path, reported_at)
-- index (a hundred grids) to the covering period index, then visits the table for every
-- case of the month. One covering index led by the path serves both: exact for a grid,
-- a skip-scan for an area; likewise for resolutions. PostgreSQL plans well as it is.
DROP INDEX cases_path_reported;
DROP INDEX cases_period;
CREATE INDEX cases_path_period ON cases (grid_path, reported_at, status, tier, category, feedback, closed_without_feedback,
    repeat_count, deadline_at, ack_due_at, resolved_at, lat, lng, grid_code);
DROP INDEX cases_resolved_at;
DROP INDEX cases_grid_resolved;
CREATE INDEX cases_grid_resolved ON cases (grid_path, resolved_at, status, deadline_at, feedback);

-- The red list, longest overdue first: open cases in that order, so that the first 200
-- red ones are read without sorting the backlog.
CREATE INDEX cases_open_by_due ON cases ((COALESCE(deadline_at, ack_due_at, reported_at)), id)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');

-- Open cases are now tallied per week of red_at (hours made a row per case): rebuild.
DELETE FROM case_tallies;
