-- (SQLite also replaces its period indexes here: its planner skip-scanned the narrow path
-- index. PostgreSQL's plans use cases_period and cases_path_reported as they are.)

-- The red list, longest overdue first: open cases in that order, so that the first 200
-- red ones are read without sorting the backlog.
CREATE INDEX cases_open_by_due ON cases ((COALESCE(deadline_at, ack_due_at, reported_at)), id)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');

-- Open cases are now tallied per week of red_at (hours made a row per case): rebuild.
DELETE FROM case_tallies;
