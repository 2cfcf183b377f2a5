-- Axis added here (see 0007 for the others):
--   self_closed  a resolution step's at; subject = the resolving account (simple cases, within the clock)
-- An event's grid, so that a grid's month of resolutions is one index range (the
-- `self_closed` tally axis: simple cases a grid worker resolved within the clock).
-- Events are append-only; the trigger steps aside for this one backfill.
ALTER TABLE case_events ADD COLUMN grid_code TEXT NOT NULL DEFAULT '';
DROP TRIGGER case_events_no_update;
UPDATE case_events SET grid_code = (SELECT c.grid_code FROM cases c WHERE c.id = case_events.case_id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
DROP INDEX case_events_action_at;
CREATE INDEX case_events_grid_action ON case_events (grid_code, action, at);

-- Open cases joined to their dispatches (department boards): read from the index alone.
DROP INDEX case_dispatches_case;
CREATE INDEX case_dispatches_case ON case_dispatches (case_id, role, withdrawn_at, department);

-- The self_closed rows are new: make the server rebuild the tallies at its next start.
DELETE FROM case_tallies;
