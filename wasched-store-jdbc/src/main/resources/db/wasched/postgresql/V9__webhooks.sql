-- Webhook endpoints. The secret is kept as given: the store signs with it, so it cannot be hashed.
CREATE TABLE wasched_webhook_endpoint (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    url        TEXT             NOT NULL,
    events     TEXT             NOT NULL, -- comma-separated event type names; empty for all
    secret     TEXT             NOT NULL,
    created_at TIMESTAMPTZ      NOT NULL,
    updated_at TIMESTAMPTZ      NOT NULL,
    version    BIGINT           NOT NULL
);

-- The outbox: one row per event and endpoint. event_id is time-ordered and shared by an event's rows; receivers
-- de-duplicate by it. A row is claimed with a lease (lease_owner, lease_until) like a schedule, and only while no
-- earlier PENDING row of the same endpoint and order_key exists: that is what keeps events of one subject in order.
CREATE TABLE wasched_webhook_outbox (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    event_id    TEXT COLLATE "C" NOT NULL,
    endpoint_id TEXT COLLATE "C" NOT NULL,
    event_type  TEXT             NOT NULL,
    order_key   TEXT COLLATE "C" NOT NULL,
    payload     TEXT             NOT NULL,
    created_at  TIMESTAMPTZ      NOT NULL,
    status      TEXT             NOT NULL,
    attempts    INT              NOT NULL,
    due_at      TIMESTAMPTZ      NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    last_error  TEXT,
    done_at     TIMESTAMPTZ,
    version     BIGINT           NOT NULL,
    CONSTRAINT wasched_webhook_outbox_status_ck CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    CONSTRAINT wasched_webhook_outbox_event_key UNIQUE (endpoint_id, event_id)
);

-- The claim's "first of its sequence" probe: the earliest PENDING row of one endpoint and order key.
CREATE INDEX wasched_webhook_outbox_sequence_idx ON wasched_webhook_outbox (endpoint_id, order_key, event_id)
    WHERE status = 'PENDING';
-- Due rows for the claim, earliest first.
CREATE INDEX wasched_webhook_outbox_due_idx ON wasched_webhook_outbox (due_at) WHERE status = 'PENDING';
-- Delivered rows for the purge.
CREATE INDEX wasched_webhook_outbox_done_idx ON wasched_webhook_outbox (done_at) WHERE status = 'DELIVERED';
