-- The table's or view's own location (sealed), kept beside its metadata pointer so that location
-- overlap checks need no metadata file reads. NULL on rows written before this column existed:
-- the catalog then reads the location from the metadata file.
ALTER TABLE catalog_objects ADD COLUMN location BLOB;
