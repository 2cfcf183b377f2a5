-- The buildings (楼栋) of each grid with a point, imported from the district's building
-- list: where a household's building stands. Part of the territory: they go with their
-- grid when a re-import removes it.
CREATE TABLE buildings (
    id        BIGSERIAL PRIMARY KEY,
    grid_code TEXT NOT NULL REFERENCES territory_nodes (code),
    name      TEXT NOT NULL,
    lat       DOUBLE PRECISION NOT NULL,
    lng       DOUBLE PRECISION NOT NULL,
    UNIQUE (grid_code, name)
);
