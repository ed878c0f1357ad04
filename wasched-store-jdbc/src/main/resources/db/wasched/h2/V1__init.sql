-- wasched schema, version 1, H2 2.x (the embedded default store).
--
-- The same tables and columns as the PostgreSQL script. Differences: H2 has no partial indexes, so the hot
-- queries' indexes lead with the status column instead; binary data is BLOB; text is VARCHAR without a length (H2's
-- TEXT would be a CLOB). H2 compares strings by code point, which is the order cursors need.
-- Instants are TIMESTAMP WITH TIME ZONE holding UTC, written with millisecond precision.

CREATE TABLE wasched_contact (
    id                      VARCHAR                  NOT NULL PRIMARY KEY,
    display_name            VARCHAR                  NOT NULL,
    search_name             VARCHAR                  NOT NULL,
    phone                   VARCHAR                  NOT NULL,
    tags                    VARCHAR                  NOT NULL,
    fields                  VARCHAR                  NOT NULL,
    opted_out               BOOLEAN                  NOT NULL,
    registration_status     VARCHAR                  NOT NULL,
    registration_checked_at TIMESTAMP WITH TIME ZONE,
    time_zone               VARCHAR,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    version                 BIGINT                   NOT NULL,
    -- findByPhone, and a number belongs to one contact
    CONSTRAINT wasched_contact_phone_uq UNIQUE (phone)
);

-- One row per tag of a contact, written by the store in the same transactions as wasched_contact.tags.
-- The key leads with the tag: findByTag pages through one tag's contacts by id. There is deliberately no
-- index (and so no foreign key) on contact_id alone: the store removes a contact's rows by their full key, and
-- an index leading with contact_id would tempt the planner to walk all contacts filtering by tag.
CREATE TABLE wasched_contact_tag (
    tag        VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    PRIMARY KEY (tag, contact_id)
);

CREATE TABLE wasched_template (
    name       VARCHAR                  NOT NULL PRIMARY KEY,
    body       VARCHAR                  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    version    BIGINT                   NOT NULL
);

CREATE TABLE wasched_schedule (
    id           VARCHAR                  NOT NULL PRIMARY KEY,
    name         VARCHAR                  NOT NULL,
    account      VARCHAR                  NOT NULL,
    target       VARCHAR                  NOT NULL,
    message      VARCHAR                  NOT NULL,
    fire_trigger VARCHAR                  NOT NULL,
    misfire      VARCHAR                  NOT NULL,
    end_at       TIMESTAMP WITH TIME ZONE,
    max_runs     BIGINT                   NOT NULL,
    paused       BOOLEAN                  NOT NULL,
    next_fire_at TIMESTAMP WITH TIME ZONE,
    runs         BIGINT                   NOT NULL,
    skipped_runs BIGINT                   NOT NULL,
    lease_owner  VARCHAR,
    lease_until  TIMESTAMP WITH TIME ZONE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT                   NOT NULL
);
-- Due schedules (claimDue, earliestDue).
CREATE INDEX wasched_schedule_due_idx ON wasched_schedule (next_fire_at);

CREATE TABLE wasched_delivery (
    id                   VARCHAR                  NOT NULL PRIMARY KEY,
    schedule_id          VARCHAR                  NOT NULL,
    fire_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    recipient_key        VARCHAR                  NOT NULL,
    recipient            VARCHAR                  NOT NULL,
    contact_id           VARCHAR,
    recipient_address    VARCHAR                  NOT NULL,
    account              VARCHAR                  NOT NULL,
    content              VARCHAR                  NOT NULL,
    status               VARCHAR                  NOT NULL,
    attempts             INTEGER                  NOT NULL,
    due_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner          VARCHAR,
    lease_until          TIMESTAMP WITH TIME ZONE,
    last_error           VARCHAR,
    transport_message_id VARCHAR,
    sent_at              TIMESTAMP WITH TIME ZONE,
    delivered_at         TIMESTAMP WITH TIME ZONE,
    read_at              TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    version              BIGINT                   NOT NULL,
    -- Fan-out is idempotent: one delivery per occurrence and recipient.
    CONSTRAINT wasched_delivery_key_uq UNIQUE (schedule_id, fire_at, recipient_key),
    CONSTRAINT wasched_delivery_status_ck CHECK (status IN ('PENDING', 'CLAIMED', 'SENDING', 'SENT', 'DELIVERED',
        'READ', 'FAILED', 'DEAD', 'UNCERTAIN', 'CANCELLED'))
);
-- Due deliveries per account (claimDue, earliestDue).
CREATE INDEX wasched_delivery_due_idx ON wasched_delivery (status, account, due_at, id);
-- History by contact, newest first (ids are time-ordered), and pending deliveries of a contact (opt-out, delete).
CREATE INDEX wasched_delivery_contact_idx ON wasched_delivery (contact_id, id);
-- History of a schedule (a campaign's results), newest first.
CREATE INDEX wasched_delivery_schedule_idx ON wasched_delivery (schedule_id, id);
-- Pending deliveries of a schedule (pause, delete).
CREATE INDEX wasched_delivery_pending_schedule_idx ON wasched_delivery (status, schedule_id, id);
-- Acks and lookups by the id WhatsApp gave the message, per account.
CREATE INDEX wasched_delivery_message_idx ON wasched_delivery (account, transport_message_id);
-- Leases: renewal and hand-back by owner, takeover of expired leases.
CREATE INDEX wasched_delivery_lease_owner_idx ON wasched_delivery (lease_owner, id);
CREATE INDEX wasched_delivery_lease_until_idx ON wasched_delivery (lease_until);
-- Dead-letter queue and UNCERTAIN deliveries per account (listing, settling), newest first.
CREATE INDEX wasched_delivery_attention_idx ON wasched_delivery (status, account, id);
-- "Was anything ever sent to this number from this account" (pacing of first messages to new contacts).
CREATE INDEX wasched_delivery_sent_to_idx ON wasched_delivery (account, recipient_address);
-- Retention: finished deliveries by age, deleted in bounded batches.
CREATE INDEX wasched_delivery_finished_idx ON wasched_delivery (status, updated_at);

-- Media files by SHA-256, so a file sent to many is stored once.
CREATE TABLE wasched_media (
    sha256     VARCHAR                  NOT NULL PRIMARY KEY,
    mime_type  VARCHAR                  NOT NULL,
    file_name  VARCHAR                  NOT NULL,
    size_bytes BIGINT                   NOT NULL,
    data       BLOB                     NOT NULL,
    stored_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The current login snapshot per WhatsApp account; replaced with compare-and-set on version.
CREATE TABLE wasched_session (
    account   VARCHAR                  NOT NULL PRIMARY KEY,
    data      BLOB                     NOT NULL,
    sha256    VARCHAR                  NOT NULL,
    encrypted BOOLEAN                  NOT NULL,
    saved_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    version   BIGINT                   NOT NULL
);

-- Snapshots set aside because they were corrupt or unusable: kept for inspection, never loaded.
CREATE TABLE wasched_session_quarantine (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account        VARCHAR                  NOT NULL,
    data           BLOB                     NOT NULL,
    sha256         VARCHAR                  NOT NULL,
    encrypted      BOOLEAN                  NOT NULL,
    saved_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    version        BIGINT                   NOT NULL,
    reason         VARCHAR                  NOT NULL,
    quarantined_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX wasched_session_quarantine_account_idx ON wasched_session_quarantine (account);

-- Named leases: which instance owns a WhatsApp session ("session:<account>") or another singleton duty.
CREATE TABLE wasched_lease (
    name        VARCHAR                  NOT NULL PRIMARY KEY,
    lease_owner VARCHAR                  NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Engine instances' heartbeats.
CREATE TABLE wasched_instance (
    id           VARCHAR                  NOT NULL PRIMARY KEY,
    host         VARCHAR,
    started_at   TIMESTAMP WITH TIME ZONE,
    last_seen_at TIMESTAMP WITH TIME ZONE,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Pacing state per account, so a restart or a failover does not reset the gaps and caps.
CREATE TABLE wasched_pacing (
    account           VARCHAR                  NOT NULL PRIMARY KEY,
    next_allowed_at   TIMESTAMP WITH TIME ZONE,
    hour_start        TIMESTAMP WITH TIME ZONE,
    hour_count        INTEGER                  NOT NULL,
    day_start         TIMESTAMP WITH TIME ZONE,
    day_count         INTEGER                  NOT NULL,
    new_contact_count INTEGER                  NOT NULL,
    version           BIGINT                   NOT NULL
);
