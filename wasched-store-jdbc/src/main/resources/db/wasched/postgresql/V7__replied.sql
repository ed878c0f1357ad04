-- When the first answer to a delivery was received. Set once, by a statement of its own that leaves the version
-- alone (a reply must not fight the sender's compare-and-set over it); transitions never write it. A nullable column
-- without a default is a catalogue change only: no rewrite of the table.
ALTER TABLE wasched_delivery ADD COLUMN replied_at TIMESTAMPTZ;
