-- Fenced session leases: every taking of a lease gets a new epoch (the fencing token), kept across releases, so a
-- released lease keeps its row with no owner. Lease times are the database's own (CURRENT_TIMESTAMP).
ALTER TABLE wasched_lease ADD COLUMN epoch BIGINT NOT NULL DEFAULT 1;
ALTER TABLE wasched_lease ALTER COLUMN lease_owner DROP NOT NULL;

-- The epoch of the session lease a snapshot was saved under: a former owner cannot overwrite a later one's save.
ALTER TABLE wasched_session ADD COLUMN fence_epoch BIGINT NOT NULL DEFAULT 0;

-- What the transport recorded about the chat before the send action (lookup proof for UNCERTAIN deliveries).
ALTER TABLE wasched_delivery ADD COLUMN send_marker TEXT;

-- In-flight deliveries are owned through the account's session lease, not leased row by row: the new owner of an
-- account finds what earlier owners left in flight by account. The row-lease expiry index has no query left.
DROP INDEX wasched_delivery_lease_until_idx;
CREATE INDEX wasched_delivery_in_flight_idx ON wasched_delivery (account, id) WHERE status IN ('CLAIMED', 'SENDING');
