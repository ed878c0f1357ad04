-- Claims, retries and acks rewrite a delivery in place (a HOT update: no new index entries) when no indexed column
-- changes and its page has room. The status changes in every one of them, so no index may name it, not even in a
-- predicate, and neither may updated_at. The partial indexes name the delivery's phase instead, a coarse status
-- that changes only when the delivery leaves the queue, is sent, or needs attention:
--   open      PENDING, CLAIMED, SENDING, FAILED (waiting or on its way: what the engine still has to do)
--   sent      SENT, DELIVERED, READ (so the acks change no phase)
--   attention DEAD, UNCERTAIN (the dead-letter queue and the sends to settle)
--   cancelled CANCELLED
-- JdbcDeliveries.phase writes the same mapping into the statements, so their conditions name it too and PostgreSQL
-- can use the partial indexes. Adding a stored generated column rewrites the table once.
ALTER TABLE wasched_delivery ADD COLUMN phase TEXT COLLATE "C" GENERATED ALWAYS AS (CASE
    WHEN status IN ('PENDING', 'CLAIMED', 'SENDING', 'FAILED') THEN 'open'
    WHEN status IN ('SENT', 'DELIVERED', 'READ') THEN 'sent'
    WHEN status IN ('DEAD', 'UNCERTAIN') THEN 'attention'
    ELSE 'cancelled' END) STORED;

-- Due deliveries per account (claim, earliest due, queue depth), and what is in flight for an account (hand-back,
-- takeover): the few in-flight rows of an account sit at the front of its range and are told apart by the status.
DROP INDEX wasched_delivery_due_idx;
DROP INDEX wasched_delivery_in_flight_idx;
CREATE INDEX wasched_delivery_due_idx ON wasched_delivery (account, due_at, id) WHERE phase = 'open';

-- Deliveries of a schedule still to be sent (backlog limit, pause, delete).
DROP INDEX wasched_delivery_pending_schedule_idx;
CREATE INDEX wasched_delivery_pending_schedule_idx ON wasched_delivery (schedule_id, id) WHERE phase = 'open';

-- Dead-letter queue and UNCERTAIN deliveries per account (listing, settling), newest first.
DROP INDEX wasched_delivery_attention_idx;
CREATE INDEX wasched_delivery_attention_idx ON wasched_delivery (account, id) WHERE phase = 'attention';

-- "Was anything ever sent to this number from this account" (pacing of first messages to new contacts).
DROP INDEX wasched_delivery_sent_to_idx;
CREATE INDEX wasched_delivery_sent_to_idx ON wasched_delivery (account, recipient_address) WHERE phase = 'sent';

-- Retention: finished deliveries by age, deleted in bounded batches. By creation time, which never changes (a
-- delivery last changed before a cut-off was created before it too); the purge checks updated_at on the row.
DROP INDEX wasched_delivery_finished_idx;
CREATE INDEX wasched_delivery_finished_idx ON wasched_delivery (created_at) WHERE phase IN ('sent', 'cancelled');

-- Room on each page for the new version of a row, so an update can stay on its page. Applies to pages written from
-- now on.
ALTER TABLE wasched_delivery SET (fillfactor = 70);
