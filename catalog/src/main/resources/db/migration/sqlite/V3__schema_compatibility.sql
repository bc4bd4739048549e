-- Which catalogs may serve on this schema (see store/SchemaCompatibility). A contract migration
-- (one that removes or changes what older catalogs still use) inserts a row naming the oldest
-- catalog compatibility level that may serve once it is applied; a catalog whose level is lower
-- refuses to serve. Expand-only migrations (additive: older catalogs keep working) insert nothing.
CREATE TABLE schema_compatibility (
    migration            VARCHAR(50)  NOT NULL PRIMARY KEY, -- the Flyway version of the migration
    oldest_serving_level INTEGER      NOT NULL,
    reason               VARCHAR(500) NOT NULL              -- what older catalogs would get wrong
);
