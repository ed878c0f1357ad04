-- Users of the web console. The password is kept only as its hash (Argon2id, in its self-describing form).
CREATE TABLE wasched_user (
    name          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    role          TEXT             NOT NULL CONSTRAINT wasched_user_role_ck
                                   CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    password_hash TEXT             NOT NULL,
    failed_logins INTEGER          NOT NULL,
    locked_until  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ      NOT NULL,
    updated_at    TIMESTAMPTZ      NOT NULL,
    version       BIGINT           NOT NULL
);

-- API keys, found at each request by the hash of the key presented (unique: one key, one row).
CREATE TABLE wasched_api_key (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name        TEXT             NOT NULL,
    role        TEXT             NOT NULL CONSTRAINT wasched_api_key_role_ck
                                 CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    secret_hash TEXT COLLATE "C" NOT NULL CONSTRAINT wasched_api_key_secret_key UNIQUE,
    created_by  TEXT             NOT NULL,
    created_at  TIMESTAMPTZ      NOT NULL,
    revoked_at  TIMESTAMPTZ,
    version     BIGINT           NOT NULL
);

-- The audit log, appended to and listed newest first by its time-ordered id.
CREATE TABLE wasched_audit (
    id     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    at     TIMESTAMPTZ      NOT NULL,
    actor  TEXT             NOT NULL,
    action TEXT             NOT NULL,
    target TEXT             NOT NULL,
    detail TEXT             NOT NULL
);
