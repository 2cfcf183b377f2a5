-- A new report looks for open cases of its category nearby (repeat detection, 重复件): by
-- category and a box of latitude and longitude. Without this index the lookup read every
-- open case in the district's open index (0.26 s alone with 360,000 open cases, seconds
-- under load); with it, it reads the category's open cases in the box's latitude band.
-- Partial, as the lookup is: only open cases are in it. Keep in step with
-- ../postgres/0028_open_near.sql.
CREATE INDEX cases_open_near ON cases (category, lat, lng, reported_at)
    WHERE status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling');
