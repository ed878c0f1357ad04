-- Webhook endpoints and their outbox; see the PostgreSQL migration of the same version.
CREATE TABLE wasched_webhook_endpoint (
    id         VARCHAR                  NOT NULL PRIMARY KEY,
    url        VARCHAR                  NOT NULL,
    events     VARCHAR                  NOT NULL,
    secret     VARCHAR                  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    version    BIGINT                   NOT NULL
);

CREATE TABLE wasched_webhook_outbox (
    id          VARCHAR                  NOT NULL PRIMARY KEY,
    event_id    VARCHAR                  NOT NULL,
    endpoint_id VARCHAR                  NOT NULL,
    event_type  VARCHAR                  NOT NULL,
    order_key   VARCHAR                  NOT NULL,
    payload     VARCHAR                  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    status      VARCHAR                  NOT NULL,
    attempts    INT                      NOT NULL,
    due_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner VARCHAR,
    lease_until TIMESTAMP WITH TIME ZONE,
    last_error  VARCHAR,
    done_at     TIMESTAMP WITH TIME ZONE,
    version     BIGINT                   NOT NULL,
    CONSTRAINT wasched_webhook_outbox_status_ck CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    CONSTRAINT wasched_webhook_outbox_event_key UNIQUE (endpoint_id, event_id)
);

CREATE INDEX wasched_webhook_outbox_sequence_idx ON wasched_webhook_outbox (endpoint_id, order_key, status, event_id);
CREATE INDEX wasched_webhook_outbox_due_idx ON wasched_webhook_outbox (status, due_at);
CREATE INDEX wasched_webhook_outbox_done_idx ON wasched_webhook_outbox (status, done_at);
