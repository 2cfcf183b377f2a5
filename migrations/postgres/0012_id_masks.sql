-- ID numbers in lists keep only their last four characters (the region prefix and the
-- birth date together narrowed a resident down to a few dozen people).
UPDATE household_members
   SET id_masked = repeat('*', length(id_masked) - 4) || right(id_masked, 4)
 WHERE length(id_masked) > 4;
