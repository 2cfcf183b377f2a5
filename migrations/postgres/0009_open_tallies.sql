-- When an open case turns red (domain::case::colour::turns_red_at: 0 for a repeat or a
-- dissatisfied rating, else its deadline or acknowledgement due, whichever is first;
-- NULL while nothing is due and once no longer open). An open case is red exactly when
-- now > red_at, so boards count open cases from tallies bucketed by red_at's hour (axes
-- `open` and `open_department`, month = the hour) instead of colouring each case.
ALTER TABLE cases ADD COLUMN red_at BIGINT;
UPDATE cases SET red_at = CASE
        WHEN repeat_count >= 2 OR feedback = 'dissatisfied' THEN 0
        WHEN deadline_at IS NULL THEN ack_due_at
        WHEN ack_due_at IS NULL OR deadline_at < ack_due_at THEN deadline_at
        ELSE ack_due_at END
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
-- The open cases turning red within the current hour (counted exactly when read).
CREATE INDEX cases_open_red_at ON cases (red_at, grid_path)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
-- One grid's resolutions of a month, when its tallies are recomputed.
CREATE INDEX cases_grid_resolved ON cases (grid_path text_pattern_ops, resolved_at);

-- The open axes are new: make the server rebuild the tallies at its next start.
DELETE FROM case_tallies;
