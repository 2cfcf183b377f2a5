-- Finding a visit by its photo (serving it, and the sweep of photo files no row names)
-- without reading every visit.
CREATE INDEX visits_photo ON visits (photo) WHERE photo IS NOT NULL;
