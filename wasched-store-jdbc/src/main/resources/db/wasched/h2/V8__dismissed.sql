-- DISMISSED: a DEAD or UNCERTAIN delivery a person closed without sending it again (see the PostgreSQL script). Its
-- phase is 'cancelled', from the generated column's ELSE; only the status check changes.
ALTER TABLE wasched_delivery DROP CONSTRAINT wasched_delivery_status_ck;
ALTER TABLE wasched_delivery ADD CONSTRAINT wasched_delivery_status_ck CHECK (status IN ('PENDING', 'CLAIMED',
    'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'DEAD', 'UNCERTAIN', 'CANCELLED', 'DISMISSED'));
