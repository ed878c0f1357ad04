-- Users, API keys and the audit log (see the PostgreSQL script).
CREATE TABLE wasched_user (
    name          VARCHAR                  NOT NULL PRIMARY KEY,
    role          VARCHAR                  NOT NULL CONSTRAINT wasched_user_role_ck
                                           CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    password_hash VARCHAR                  NOT NULL,
    failed_logins INTEGER                  NOT NULL,
    locked_until  TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT                   NOT NULL
);

CREATE TABLE wasched_api_key (
    id          VARCHAR                  NOT NULL PRIMARY KEY,
    name        VARCHAR                  NOT NULL,
    role        VARCHAR                  NOT NULL CONSTRAINT wasched_api_key_role_ck
                                         CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    secret_hash VARCHAR                  NOT NULL CONSTRAINT wasched_api_key_secret_key UNIQUE,
    created_by  VARCHAR                  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    version     BIGINT                   NOT NULL
);

CREATE TABLE wasched_audit (
    id     VARCHAR                  NOT NULL PRIMARY KEY,
    at     TIMESTAMP WITH TIME ZONE NOT NULL,
    actor  VARCHAR                  NOT NULL,
    action VARCHAR                  NOT NULL,
    target VARCHAR                  NOT NULL,
    detail VARCHAR                  NOT NULL
);
