-- A territory node removed by a re-import while cases or visits still name it is retired,
-- not deleted: its history keeps its grid, and it leaves the maps, the tree and the point
-- → grid lookup. NULL: in use.
ALTER TABLE territory_nodes ADD COLUMN retired_at BIGINT;
