-- Reply templates (常用回复): sentences staff pick at a step, per step and optionally per
-- category. Keep in step with ../sqlite/0022_reply_templates.sql.
CREATE TABLE reply_templates (
    id         BIGSERIAL PRIMARY KEY,
    category   TEXT REFERENCES categories (code),
    step       TEXT NOT NULL,
    text       TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX reply_templates_step ON reply_templates (step, category);
