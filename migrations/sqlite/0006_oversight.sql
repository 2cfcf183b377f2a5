-- Boards and KPIs group the cases of a territory prefix reported in a period.
CREATE INDEX cases_path_reported ON cases (grid_path, reported_at);
CREATE INDEX cases_resolved_at ON cases (resolved_at);
CREATE INDEX case_dispatches_case ON case_dispatches (case_id);
