-- Whether a category's result (办结) must carry a photo of the result in the same step,
-- one rule for grid workers and departments. NULL: a subcategory follows its category;
-- a category that says nothing needs none.
-- Keep in step with ../sqlite/0025_result_photo.sql.
ALTER TABLE categories ADD COLUMN result_photo BIGINT CHECK (result_photo IN (0, 1));
