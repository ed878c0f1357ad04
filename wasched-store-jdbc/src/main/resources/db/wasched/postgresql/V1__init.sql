-- wasched schema, version 1, PostgreSQL (9.5 or later; tested on 14).
--
-- Instants are TIMESTAMPTZ holding UTC, written with millisecond precision.
-- Ids, names and keys use COLLATE "C": listings page by id with "id > cursor", and the C collation makes that
-- order the plain code-point order the engine's time-ordered ids are built for (and is cheaper to compare).
-- Nested parts (target, trigger, message, recipient, content, tags, fields) are JSON text written by StoreCodec.
-- Every index names the query it serves; see README "JDBC store" for the plans.

CREATE TABLE wasched_contact (
    id                      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    display_name            TEXT             NOT NULL,
    search_name             TEXT             NOT NULL,
    phone                   TEXT COLLATE "C" NOT NULL,
    tags                    TEXT             NOT NULL,
    fields                  TEXT             NOT NULL,
    opted_out               BOOLEAN          NOT NULL,
    registration_status     TEXT             NOT NULL,
    registration_checked_at TIMESTAMPTZ,
    time_zone               TEXT,
    created_at              TIMESTAMPTZ      NOT NULL,
    updated_at              TIMESTAMPTZ      NOT NULL,
    version                 BIGINT           NOT NULL,
    -- findByPhone, and a number belongs to one contact
    CONSTRAINT wasched_contact_phone_uq UNIQUE (phone)
);

-- One row per tag of a contact, written by the store in the same transactions as wasched_contact.tags.
-- The key leads with the tag: findByTag pages through one tag's contacts by id. There is deliberately no
-- index (and so no foreign key) on contact_id alone: the store removes a contact's rows by their full key, and
-- an index leading with contact_id would tempt the planner to walk all contacts filtering by tag.
CREATE TABLE wasched_contact_tag (
    tag        TEXT COLLATE "C" NOT NULL,
    contact_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tag, contact_id)
);

CREATE TABLE wasched_template (
    name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    body       TEXT             NOT NULL,
    created_at TIMESTAMPTZ      NOT NULL,
    updated_at TIMESTAMPTZ      NOT NULL,
    version    BIGINT           NOT NULL
);

CREATE TABLE wasched_schedule (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name         TEXT             NOT NULL,
    account      TEXT COLLATE "C" NOT NULL,
    target       TEXT             NOT NULL,
    message      TEXT             NOT NULL,
    fire_trigger TEXT             NOT NULL,
    misfire      TEXT             NOT NULL,
    end_at       TIMESTAMPTZ,
    max_runs     BIGINT           NOT NULL,
    paused       BOOLEAN          NOT NULL,
    next_fire_at TIMESTAMPTZ,
    runs         BIGINT           NOT NULL,
    skipped_runs BIGINT           NOT NULL,
    lease_owner  TEXT,
    lease_until  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ      NOT NULL,
    updated_at   TIMESTAMPTZ      NOT NULL,
    version      BIGINT           NOT NULL
);
-- Due schedules (claimDue, earliestDue): only schedules that can still fire are indexed.
CREATE INDEX wasched_schedule_due_idx ON wasched_schedule (next_fire_at)
    WHERE NOT paused AND next_fire_at IS NOT NULL;

CREATE TABLE wasched_delivery (
    id                   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    schedule_id          TEXT COLLATE "C" NOT NULL,
    fire_at              TIMESTAMPTZ      NOT NULL,
    recipient_key        TEXT COLLATE "C" NOT NULL,
    recipient            TEXT             NOT NULL,
    contact_id           TEXT COLLATE "C",
    recipient_address    TEXT COLLATE "C" NOT NULL,
    account              TEXT COLLATE "C" NOT NULL,
    content              TEXT             NOT NULL,
    status               TEXT             NOT NULL,
    attempts             INTEGER          NOT NULL,
    due_at               TIMESTAMPTZ      NOT NULL,
    lease_owner          TEXT COLLATE "C",
    lease_until          TIMESTAMPTZ,
    last_error           TEXT,
    transport_message_id TEXT COLLATE "C",
    sent_at              TIMESTAMPTZ,
    delivered_at         TIMESTAMPTZ,
    read_at              TIMESTAMPTZ,
    created_at           TIMESTAMPTZ      NOT NULL,
    updated_at           TIMESTAMPTZ      NOT NULL,
    version              BIGINT           NOT NULL,
    -- Fan-out is idempotent: one delivery per occurrence and recipient.
    CONSTRAINT wasched_delivery_key_uq UNIQUE (schedule_id, fire_at, recipient_key),
    CONSTRAINT wasched_delivery_status_ck CHECK (status IN ('PENDING', 'CLAIMED', 'SENDING', 'SENT', 'DELIVERED',
        'READ', 'FAILED', 'DEAD', 'UNCERTAIN', 'CANCELLED'))
);
-- Due deliveries per account (claimDue, earliestDue): only PENDING rows, so the index stays as small as the backlog.
CREATE INDEX wasched_delivery_due_idx ON wasched_delivery (account, due_at, id) WHERE status = 'PENDING';
-- History by contact, newest first (ids are time-ordered), and pending deliveries of a contact (opt-out, delete).
CREATE INDEX wasched_delivery_contact_idx ON wasched_delivery (contact_id, id) WHERE contact_id IS NOT NULL;
-- History of a schedule (a campaign's results), newest first.
CREATE INDEX wasched_delivery_schedule_idx ON wasched_delivery (schedule_id, id);
-- Pending deliveries of a schedule (pause, delete).
CREATE INDEX wasched_delivery_pending_schedule_idx ON wasched_delivery (schedule_id, id) WHERE status = 'PENDING';
-- Acks and lookups by the id WhatsApp gave the message, per account.
CREATE INDEX wasched_delivery_message_idx ON wasched_delivery (account, transport_message_id)
    WHERE transport_message_id IS NOT NULL;
-- Leases: renewal and hand-back by owner, takeover of expired leases. Only in-flight rows are indexed.
CREATE INDEX wasched_delivery_lease_owner_idx ON wasched_delivery (lease_owner, id)
    WHERE status IN ('CLAIMED', 'SENDING');
CREATE INDEX wasched_delivery_lease_until_idx ON wasched_delivery (lease_until)
    WHERE status IN ('CLAIMED', 'SENDING');
-- Dead-letter queue and UNCERTAIN deliveries per account (listing, settling), newest first.
CREATE INDEX wasched_delivery_attention_idx ON wasched_delivery (account, id) WHERE status IN ('DEAD', 'UNCERTAIN');
-- "Was anything ever sent to this number from this account" (pacing of first messages to new contacts).
CREATE INDEX wasched_delivery_sent_to_idx ON wasched_delivery (account, recipient_address)
    WHERE status IN ('SENT', 'DELIVERED', 'READ');
-- Retention: finished deliveries by age, deleted in bounded batches.
CREATE INDEX wasched_delivery_finished_idx ON wasched_delivery (updated_at)
    WHERE status IN ('SENT', 'DELIVERED', 'READ', 'CANCELLED');

-- Media files by SHA-256, so a file sent to many is stored once.
CREATE TABLE wasched_media (
    sha256     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    mime_type  TEXT             NOT NULL,
    file_name  TEXT             NOT NULL,
    size_bytes BIGINT           NOT NULL,
    data       BYTEA            NOT NULL,
    stored_at  TIMESTAMPTZ      NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The current login snapshot per WhatsApp account; replaced with compare-and-set on version.
CREATE TABLE wasched_session (
    account   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    data      BYTEA            NOT NULL,
    sha256    TEXT             NOT NULL,
    encrypted BOOLEAN          NOT NULL,
    saved_at  TIMESTAMPTZ      NOT NULL,
    version   BIGINT           NOT NULL
);

-- Snapshots set aside because they were corrupt or unusable: kept for inspection, never loaded.
CREATE TABLE wasched_session_quarantine (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account        TEXT COLLATE "C" NOT NULL,
    data           BYTEA            NOT NULL,
    sha256         TEXT             NOT NULL,
    encrypted      BOOLEAN          NOT NULL,
    saved_at       TIMESTAMPTZ      NOT NULL,
    version        BIGINT           NOT NULL,
    reason         TEXT             NOT NULL,
    quarantined_at TIMESTAMPTZ      NOT NULL
);
CREATE INDEX wasched_session_quarantine_account_idx ON wasched_session_quarantine (account);

-- Named leases: which instance owns a WhatsApp session ("session:<account>") or another singleton duty.
CREATE TABLE wasched_lease (
    name        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    lease_owner TEXT COLLATE "C" NOT NULL,
    lease_until TIMESTAMPTZ      NOT NULL
);

-- Engine instances' heartbeats.
CREATE TABLE wasched_instance (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    host         TEXT,
    started_at   TIMESTAMPTZ,
    last_seen_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ      NOT NULL
);

-- Pacing state per account, so a restart or a failover does not reset the gaps and caps.
CREATE TABLE wasched_pacing (
    account           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    next_allowed_at   TIMESTAMPTZ,
    hour_start        TIMESTAMPTZ,
    hour_count        INTEGER          NOT NULL,
    day_start         TIMESTAMPTZ,
    day_count         INTEGER          NOT NULL,
    new_contact_count INTEGER          NOT NULL,
    version           BIGINT           NOT NULL
);
