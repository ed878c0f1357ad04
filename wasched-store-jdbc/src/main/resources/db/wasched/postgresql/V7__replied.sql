-- When the first answer to a delivery was received. Set once, by a statement of its own that leaves the version
-- alone (a reply must not fight the sender's compare-and-set over it); transitions never write it. A nullable column
-- without a default is a catalogue change only: no rewrite of the table.
ALTER TABLE wasched_delivery ADD COLUMN replied_at TIMESTAMPTZ;

-- Replied deliveries per account: their count, and the history of what was answered, newest first. Partial, so it
-- holds only the few replied rows; setting replied_at adds the row's entry (that one update is not a HOT update).
CREATE INDEX wasched_delivery_replied_idx ON wasched_delivery (account, id) WHERE replied_at IS NOT NULL;
