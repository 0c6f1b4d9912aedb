-- The wall reads featured praise first, then newest (0003 added `featured`). An index in exactly
-- that order lets the first page be read straight off the index instead of sorting every approved
-- praise on each request (measured by `cargo xtask bench server`: the wall went from thousands of
-- requests/s to about 60 once `featured` joined the ORDER BY without an index).
DROP INDEX praise_wall;
CREATE INDEX praise_wall ON praise (site_id, status, publish_granted, featured, received_at, id);
