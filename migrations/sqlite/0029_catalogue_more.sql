-- A case's page (and the answer to every case step) also reads the reply templates, the
-- grid's name and the departments competent for the category: kept in each server's
-- memory with the rest of the catalogue (0027), so these tables move its stamp too.
-- Keep in step with ../postgres/0029_catalogue_more.sql.
CREATE TRIGGER reply_templates_inserted AFTER INSERT ON reply_templates
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER reply_templates_updated AFTER UPDATE ON reply_templates
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER reply_templates_deleted AFTER DELETE ON reply_templates
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER territory_nodes_inserted AFTER INSERT ON territory_nodes
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER territory_nodes_updated AFTER UPDATE ON territory_nodes
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER territory_nodes_deleted AFTER DELETE ON territory_nodes
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER department_categories_inserted AFTER INSERT ON department_categories
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER department_categories_updated AFTER UPDATE ON department_categories
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER department_categories_deleted AFTER DELETE ON department_categories
BEGIN UPDATE catalogue_stamp SET version = version + 1 WHERE id = 1; END;
