-- A case's page (and the answer to every case step) also reads the reply templates, the
-- grid's name and the departments competent for the category: kept in each server's
-- memory with the rest of the catalogue (0027), so these tables move its stamp too.
-- Keep in step with ../sqlite/0029_catalogue_more.sql.
CREATE TRIGGER reply_templates_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reply_templates
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER territory_nodes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON territory_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER department_categories_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON department_categories
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed();
