-- Floe metadata store, catalog core (SQLite). Sealed columns hold FieldSealer output.
-- Namespace keys are the levels joined by U+001F; top-level namespaces have parent_key NULL.
CREATE TABLE namespaces (
    warehouse   TEXT    NOT NULL,
    ns_key      TEXT    NOT NULL,
    parent_key  TEXT,             -- NULL for a top-level namespace
    name        TEXT    NOT NULL,
    properties  BLOB    NOT NULL, -- sealed JSON object
    version     BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL, -- epoch milliseconds
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (warehouse, ns_key),
    -- a namespace cannot outlive its parent, even when two replicas race
    FOREIGN KEY (warehouse, parent_key) REFERENCES namespaces (warehouse, ns_key)
);
-- listing children of a parent is a range scan on this index
CREATE UNIQUE INDEX namespaces_children ON namespaces (warehouse, parent_key, name);

CREATE TABLE catalog_objects (
    warehouse                  TEXT    NOT NULL,
    namespace                  TEXT    NOT NULL,
    name                       TEXT    NOT NULL,
    object_id                  TEXT    NOT NULL, -- random id of this object, kept across renames
    kind                       TEXT    NOT NULL CHECK (kind IN ('table', 'view')),
    metadata_location          BLOB    NOT NULL, -- sealed
    previous_metadata_location BLOB,             -- sealed
    version                    BIGINT  NOT NULL, -- compare-and-swap counter (with object_id)
    created_at                 BIGINT  NOT NULL,
    updated_at                 BIGINT  NOT NULL,
    PRIMARY KEY (warehouse, namespace, name),
    FOREIGN KEY (warehouse, namespace) REFERENCES namespaces (warehouse, ns_key)
);
CREATE INDEX catalog_objects_listing ON catalog_objects (warehouse, namespace, kind, name);

CREATE TABLE idempotency_records (
    warehouse   TEXT    NOT NULL,
    idem_key    TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    response    BLOB    NOT NULL, -- sealed
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (warehouse, idem_key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);
