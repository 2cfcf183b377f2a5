-- Departments' tallies now keep residents' own ratings apart from those staff recorded
-- (resident_* columns of the dept_resolved axis). Emptied here, the tallies are rebuilt
-- from the cases when the server starts (store::tallies::rebuild_if_empty).
DELETE FROM case_tallies;
