-- 12345 hotline work orders (工单): one case each, found again by the hotline's order
-- number when the export is imported again. Keep in step with ../sqlite/0024_hotline.sql.
CREATE TABLE hotline_orders (
    order_no      TEXT PRIMARY KEY,
    case_id       BIGINT NOT NULL UNIQUE REFERENCES cases (id),
    received_at   BIGINT NOT NULL,
    category_text TEXT NOT NULL,
    urgent        BIGINT NOT NULL DEFAULT 0,
    -- The hotline's own deadline: it replaces the tier's when the case's clock starts.
    due_at        BIGINT,
    referral      TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    -- The caller's rating as the hotline reported it back (满意/基本满意/不满意).
    revisit       TEXT CHECK (revisit IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    imported_by   BIGINT NOT NULL REFERENCES accounts (id),
    imported_at   BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
