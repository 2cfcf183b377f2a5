-- The 吹哨报到 desk: in-app notifications and outbound webhooks (an outbox, so that a
-- notification is queued in the same transaction as the step that raised it).
-- Keep in step with ../sqlite/0004_desk.sql.

CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL CHECK (kind IN ('dispatched', 'ack_overdue', 'returned', 'extension_requested', 'supervised')),
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_account ON notifications (account_id, read_at, id);

-- Where a district forwards notices (its messaging system). The secret is sealed.
CREATE TABLE webhooks (
    id            BIGSERIAL PRIMARY KEY,
    url           TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    kinds         TEXT NOT NULL DEFAULT '[]',  -- JSON list of notice kinds; [] = all
    active        BIGINT NOT NULL DEFAULT 1,
    created_by    BIGINT REFERENCES accounts (id),
    created_at    BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    webhook_id      BIGINT NOT NULL REFERENCES webhooks (id),
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_status     BIGINT,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at);

-- An overdue acknowledgement is announced once.
ALTER TABLE case_dispatches ADD COLUMN ack_overdue_notified BIGINT NOT NULL DEFAULT 0;

-- 会商 records: the minutes, and each responsible department's due date (JSON list of
-- {"department", "due_on"}; `departments` keeps the plain list).
ALTER TABLE consultations ADD COLUMN minutes TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN duties TEXT NOT NULL DEFAULT '[]';
