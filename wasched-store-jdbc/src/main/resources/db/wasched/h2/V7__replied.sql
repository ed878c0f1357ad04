-- When the first answer to a delivery was received; see the PostgreSQL migration of the same version.
ALTER TABLE wasched_delivery ADD COLUMN replied_at TIMESTAMP WITH TIME ZONE;
