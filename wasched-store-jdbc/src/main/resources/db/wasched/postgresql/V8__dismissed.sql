-- DISMISSED: a DEAD or UNCERTAIN delivery a person closed without sending it again. Its phase is 'cancelled' (the
-- generated column's ELSE, see V5), so it leaves the attention index (dead letters, UNCERTAIN) and joins the
-- finished ones that retention walks; no index changes. The status check is replaced: added NOT VALID and then
-- validated, so the table is read once under a lock that does not stop writes.
ALTER TABLE wasched_delivery DROP CONSTRAINT wasched_delivery_status_ck;
ALTER TABLE wasched_delivery ADD CONSTRAINT wasched_delivery_status_ck CHECK (status IN ('PENDING', 'CLAIMED',
    'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'DEAD', 'UNCERTAIN', 'CANCELLED', 'DISMISSED')) NOT VALID;
ALTER TABLE wasched_delivery VALIDATE CONSTRAINT wasched_delivery_status_ck;
