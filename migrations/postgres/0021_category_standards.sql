-- The category standards table (CJ/T 214 部件/事件): subcategories live beside their
-- category (`parent`), with the 部件/事件 code, 立案/结案 standards shown to staff, a
-- default tier, urgency and per-stage limits in working hours overriding the tier's.
-- A case keeps its category and, once triaged with one, its subcategory.
-- Keep in step with ../sqlite/0021_category_standards.sql.
ALTER TABLE categories ADD COLUMN parent TEXT REFERENCES categories (code);
ALTER TABLE categories ADD COLUMN cj_code TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN kind TEXT NOT NULL DEFAULT 'event' CHECK (kind IN ('component', 'event'));
ALTER TABLE categories ADD COLUMN filing_standard TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN closing_standard TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN default_tier TEXT CHECK (default_tier IN ('simple', 'coordination', 'key'));
ALTER TABLE categories ADD COLUMN urgent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN ack_hours BIGINT;
ALTER TABLE categories ADD COLUMN handle_hours BIGINT;
ALTER TABLE categories ADD COLUMN verify_hours BIGINT;
CREATE INDEX categories_parent ON categories (parent, sort_order);
ALTER TABLE cases ADD COLUMN subcategory TEXT REFERENCES categories (code);
