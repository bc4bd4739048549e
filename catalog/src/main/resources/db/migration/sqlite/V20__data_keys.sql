-- The DEK ring (owned by crypto/): one row per data key, wrapped by the KMS. Exactly one ACTIVE row.
CREATE TABLE data_keys (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    wrapped_key        BLOB,
    provider           VARCHAR(32)  NOT NULL,
    master_key_id      VARCHAR(1024),
    master_key_version VARCHAR(256),
    state              VARCHAR(16)  NOT NULL CHECK (state IN ('ACTIVE', 'RETIRED', 'DESTROYED')),
    created_at         BIGINT       NOT NULL,
    updated_at         BIGINT       NOT NULL
);
CREATE UNIQUE INDEX data_keys_one_active ON data_keys (state) WHERE state = 'ACTIVE';
