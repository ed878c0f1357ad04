-- The account registry: accounts added, paused and removed at run time, read by every instance at each heartbeat
-- (one small table, read whole). Removed accounts stay: history names them.
CREATE TABLE wasched_account (
    name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind       TEXT             NOT NULL,
    settings   TEXT             NOT NULL,
    pacing     TEXT,
    status     TEXT             NOT NULL CONSTRAINT wasched_account_status_ck
                                CHECK (status IN ('ACTIVE', 'PAUSED', 'REMOVED')),
    created_at TIMESTAMPTZ      NOT NULL,
    updated_at TIMESTAMPTZ      NOT NULL,
    version    BIGINT           NOT NULL
);

-- An instance's share of the accounts relative to the others'. A constant default: no table rewrite.
ALTER TABLE wasched_instance ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;

-- A campaign over several accounts names them all here (JSON array); NULL for a schedule of one account, which
-- stays in "account" (the first of the list otherwise).
ALTER TABLE wasched_schedule ADD COLUMN accounts TEXT;
