-- API keys (owned by security/). Only the lookup id, the secret's hash and the revocation time are
-- plain: name, roles, scope, creator and expiry live in sealed_record, sealed by crypto/ with
-- associated data binding it to its key_id. The secret itself is never stored.
CREATE TABLE api_keys (
    key_id        VARCHAR(32) NOT NULL PRIMARY KEY,
    secret_hash   BLOB       NOT NULL,
    sealed_record BLOB       NOT NULL,
    created_at    BIGINT      NOT NULL,
    revoked_at    BIGINT
);

-- Server-side secrets of the security layer (the signing key of issued OAuth2 tokens), sealed.
-- Created once by whichever replica gets there first; every replica then reads the same row.
CREATE TABLE security_keys (
    name         VARCHAR(64) NOT NULL PRIMARY KEY,
    sealed_value BLOB       NOT NULL,
    created_at   BIGINT      NOT NULL
);
