-- When the first answer to a delivery was received; see the PostgreSQL migration of the same version. H2 has no
-- partial indexes: the index leads with the account, as PostgreSQL's does.
ALTER TABLE wasched_delivery ADD COLUMN replied_at TIMESTAMP WITH TIME ZONE;

CREATE INDEX wasched_delivery_replied_idx ON wasched_delivery (account, replied_at, id);
