-- The 数字城管 steps (GB/T 30428): invalid reports (不予立案), on-site verification and
-- rework (核查/返工), deferral (缓办) and urgency (紧急). Keep in step with
-- ../sqlite/0020_city_management_steps.sql (which must rebuild the tables instead).
ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN ('reported', 'returned', 'in_grid',
    'triaged', 'dispatched', 'handling', 'verifying', 'resolved', 'closed', 'merged', 'invalid', 'deferred'));
ALTER TABLE cases
    ADD COLUMN urgent                  BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN invalid_reason          TEXT CHECK (invalid_reason IN ('duplicate', 'not_our_remit', 'not_a_problem', 'cannot_locate', 'malicious')),
    ADD COLUMN verify_due_at           BIGINT,
    ADD COLUMN rework_count            BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN checks                  BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN checks_on_time          BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN deferrals               BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN deferral                TEXT NOT NULL DEFAULT 'none' CHECK (deferral IN ('none', 'requested', 'deferred', 'rejected')),
    ADD COLUMN deferral_review_on      TEXT,
    ADD COLUMN deferral_resume_to      TEXT,
    ADD COLUMN deferral_remaining_secs BIGINT;
-- Checked cases of a period, for 返工率 and 及时核查率 per department and area.
CREATE INDEX cases_checked ON cases (reported_at) WHERE checks > 0;
-- The deferred cases whose review date has come (the resume sweep).
CREATE INDEX cases_deferred ON cases (deferral_review_on) WHERE status = 'deferred';

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('dispatched', 'ack_overdue',
    'returned', 'extension_requested', 'supervised', 'rework', 'deferral_requested', 'resumed'));
