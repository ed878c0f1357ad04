-- Messages the accounts received. One row per account and WhatsApp message id: the unique key is what makes a
-- message heard twice (a reload, another start) stored once. Listed newest first by the engine's time-ordered id.
CREATE TABLE wasched_inbound (
    id                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    account             TEXT COLLATE "C" NOT NULL,
    message_id          TEXT COLLATE "C" NOT NULL,
    sender              TEXT             NOT NULL,
    chat                TEXT             NOT NULL,
    contact_id          TEXT COLLATE "C",
    text                TEXT             NOT NULL,
    media_kind          TEXT,
    quoted_message_id   TEXT COLLATE "C",
    sent_at             TIMESTAMPTZ      NOT NULL,
    received_at         TIMESTAMPTZ      NOT NULL,
    replied_delivery_id TEXT COLLATE "C",
    CONSTRAINT wasched_inbound_message_key UNIQUE (account, message_id)
);

-- One account's messages, newest first (the unique key leads with the account but sorts by message id).
CREATE INDEX wasched_inbound_account_idx ON wasched_inbound (account, id);
-- One contact's messages, newest first.
CREATE INDEX wasched_inbound_contact_idx ON wasched_inbound (contact_id, id) WHERE contact_id IS NOT NULL;
