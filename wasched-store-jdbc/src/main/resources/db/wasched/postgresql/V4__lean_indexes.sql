-- Only the indexes a statement needs. An insert, and an update that changes an indexed column (the status is one: the
-- claim's due index needs it in its predicate), adds an entry to every index whose predicate the new row version
-- matches, so an index that no statement needs only costs writes. Every index left is named, with the statement it
-- serves, by PostgresPlansTest, which also fails on an index it does not name.

-- The engine hands work back per account (on shutdown as on takeover) through wasched_delivery_in_flight_idx; nothing
-- it runs looks in-flight rows up by owner any more.
DROP INDEX wasched_delivery_lease_owner_idx;

-- Quarantined snapshots are counted per account only for diagnostics, in a table of a handful of rows.
DROP INDEX wasched_session_quarantine_account_idx;
