-- The reference data every case step reads (categories and their standards, departments,
-- the working calendar) is kept in each server's memory; this row's version moves with
-- every change to those tables, whoever makes it (a page, an import, another instance, a
-- hand-written statement), so a server reads one row to know its copy is still true.
-- Keep in step with ../postgres/0027_catalogue_stamp.sql.
CREATE TABLE catalogue_stamp (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_stamp (id, version) VALUES (1, 0);

CREATE TRIGGER categories_inserted AFTER INSERT ON categories
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER categories_updated AFTER UPDATE ON categories
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER categories_deleted AFTER DELETE ON categories
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER departments_inserted AFTER INSERT ON departments
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER departments_updated AFTER UPDATE ON departments
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER departments_deleted AFTER DELETE ON departments
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER calendar_days_inserted AFTER INSERT ON calendar_days
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_days_updated AFTER UPDATE ON calendar_days
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER calendar_days_deleted AFTER DELETE ON calendar_days
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
