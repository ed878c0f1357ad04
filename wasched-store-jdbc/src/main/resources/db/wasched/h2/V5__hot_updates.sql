-- The delivery's phase, a coarse status (see the PostgreSQL script, where it lets claims, retries and acks rewrite
-- a row in place). H2 keeps its indexes, which lead with the status; the column is here so both databases run the
-- same statements.
ALTER TABLE wasched_delivery ADD COLUMN phase VARCHAR(9) GENERATED ALWAYS AS (CASE
    WHEN status IN ('PENDING', 'CLAIMED', 'SENDING', 'FAILED') THEN 'open'
    WHEN status IN ('SENT', 'DELIVERED', 'READ') THEN 'sent'
    WHEN status IN ('DEAD', 'UNCERTAIN') THEN 'attention'
    ELSE 'cancelled' END);

-- Retention walks finished deliveries by creation time (see the PostgreSQL script).
DROP INDEX IF EXISTS wasched_delivery_finished_idx;
CREATE INDEX wasched_delivery_finished_idx ON wasched_delivery (phase, created_at);
