-- Boards and KPIs group the cases of a territory prefix reported in a period.
-- text_pattern_ops lets `grid_path LIKE 'prefix%'` use the index in any collation.
CREATE INDEX cases_path_reported ON cases (grid_path text_pattern_ops, reported_at);
CREATE INDEX cases_resolved_at ON cases (resolved_at);
CREATE INDEX case_dispatches_case ON case_dispatches (case_id);

-- Live updates across server instances: every new case event is announced on a channel
-- that each instance LISTENs to (the payload is the event id; instances read the rows).
CREATE FUNCTION gridgov_case_event_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('gridgov_case_events', NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER case_events_notify AFTER INSERT ON case_events
    FOR EACH ROW EXECUTE FUNCTION gridgov_case_event_notify();
