-- The work phone an administrator records for an account (imported with the roster); a
-- grid worker's is also the number the grid's QR page and poster show.
ALTER TABLE accounts ADD COLUMN work_phone TEXT NOT NULL DEFAULT '';
