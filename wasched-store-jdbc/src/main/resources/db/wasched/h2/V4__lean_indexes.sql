-- Only the indexes a statement needs (see the PostgreSQL script): an index that no statement needs only costs writes.

-- The engine hands work back per account (on shutdown as on takeover) through wasched_delivery_attention_idx
-- (status, account, id); nothing it runs looks in-flight rows up by owner any more.
DROP INDEX IF EXISTS wasched_delivery_lease_owner_idx;

-- Quarantined snapshots are counted per account only for diagnostics, in a table of a handful of rows.
DROP INDEX IF EXISTS wasched_session_quarantine_account_idx;
