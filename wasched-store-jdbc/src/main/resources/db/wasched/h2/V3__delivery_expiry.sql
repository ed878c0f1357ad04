-- A delivery made before its occurrence was due carries the latest instant at which the schedule's misfire policy
-- would still have fired that occurrence; taken up later, it is cancelled instead of sent. NULL for every delivery
-- made when its occurrence was already decided, which is every row written before this version.
ALTER TABLE wasched_delivery ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
