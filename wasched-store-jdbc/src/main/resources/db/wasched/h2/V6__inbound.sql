-- Messages the accounts received; see the PostgreSQL migration of the same version.
CREATE TABLE wasched_inbound (
    id                  VARCHAR                  NOT NULL PRIMARY KEY,
    account             VARCHAR                  NOT NULL,
    message_id          VARCHAR                  NOT NULL,
    sender              VARCHAR                  NOT NULL,
    chat                VARCHAR                  NOT NULL,
    contact_id          VARCHAR,
    text                VARCHAR                  NOT NULL,
    media_kind          VARCHAR,
    quoted_message_id   VARCHAR,
    sent_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    replied_delivery_id VARCHAR,
    CONSTRAINT wasched_inbound_message_key UNIQUE (account, message_id)
);

CREATE INDEX wasched_inbound_account_idx ON wasched_inbound (account, id);
CREATE INDEX wasched_inbound_contact_idx ON wasched_inbound (contact_id, id);
