-- The account registry (see the PostgreSQL script).
CREATE TABLE wasched_account (
    name       VARCHAR                  NOT NULL PRIMARY KEY,
    kind       VARCHAR                  NOT NULL,
    settings   VARCHAR                  NOT NULL,
    pacing     VARCHAR,
    status     VARCHAR                  NOT NULL CONSTRAINT wasched_account_status_ck
                                        CHECK (status IN ('ACTIVE', 'PAUSED', 'REMOVED')),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    version    BIGINT                   NOT NULL
);

ALTER TABLE wasched_instance ADD COLUMN weight INTEGER DEFAULT 1 NOT NULL;

ALTER TABLE wasched_schedule ADD COLUMN accounts VARCHAR;
