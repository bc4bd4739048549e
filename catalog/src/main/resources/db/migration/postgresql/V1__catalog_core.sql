-- Floe metadata store, catalog core (PostgreSQL). Sealed columns hold FieldSealer output.
-- Namespace keys are the levels joined by U+001F; top-level namespaces have parent_key NULL.
-- COLLATE "C": byte order, so keyset pagination (name > ?) and ORDER BY agree on every server.
CREATE TABLE namespaces (
    warehouse   TEXT COLLATE "C" NOT NULL,
    ns_key      TEXT COLLATE "C" NOT NULL,
    parent_key  TEXT COLLATE "C",          -- NULL for a top-level namespace
    name        TEXT COLLATE "C" NOT NULL,
    properties  BYTEA  NOT NULL, -- sealed JSON object
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL, -- epoch milliseconds
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (warehouse, ns_key),
    -- a namespace cannot outlive its parent, even when two replicas race
    FOREIGN KEY (warehouse, parent_key) REFERENCES namespaces (warehouse, ns_key)
);
CREATE UNIQUE INDEX namespaces_children ON namespaces (warehouse, parent_key, name);

CREATE TABLE catalog_objects (
    warehouse                  TEXT COLLATE "C" NOT NULL,
    namespace                  TEXT COLLATE "C" NOT NULL,
    name                       TEXT COLLATE "C" NOT NULL,
    object_id                  TEXT    NOT NULL, -- random id of this object, kept across renames
    kind                       TEXT NOT NULL CHECK (kind IN ('table', 'view')),
    metadata_location          BYTEA  NOT NULL, -- sealed
    previous_metadata_location BYTEA,           -- sealed
    version                    BIGINT NOT NULL, -- compare-and-swap counter (with object_id)
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL,
    PRIMARY KEY (warehouse, namespace, name),
    FOREIGN KEY (warehouse, namespace) REFERENCES namespaces (warehouse, ns_key)
);
CREATE INDEX catalog_objects_listing ON catalog_objects (warehouse, namespace, kind, name);

CREATE TABLE idempotency_records (
    warehouse   TEXT COLLATE "C" NOT NULL,
    idem_key    TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    response    BYTEA   NOT NULL, -- sealed
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (warehouse, idem_key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);
