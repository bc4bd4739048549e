"""PyIceberg against a Floe catalog that vends S3 credentials: no storage keys on the client.

Environment: FLOE_URI, FLOE_TOKEN (a writer's API key), FLOE_NAMESPACE, FLOE_TABLE. The script is
given no S3 endpoint, region or keys; everything it needs for S3 comes from the catalog's
loadTable/createTable responses (storage-credentials and config). It creates the table, appends,
evolves the schema, appends again, scans, then drops it with purge. Prints `RESULT <json>`.
"""
import json
import os

import pyarrow as pa
from pyiceberg.catalog import load_catalog
from pyiceberg.types import StringType

for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
    assert name not in os.environ, name + " must not be set: only vended credentials may be used"

catalog = load_catalog("floe", **{"type": "rest", "uri": os.environ["FLOE_URI"],
                                  "token": os.environ["FLOE_TOKEN"]})
ident = os.environ["FLOE_NAMESPACE"] + "." + os.environ["FLOE_TABLE"]
schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("kind", pa.string())])
table = catalog.create_table(ident, schema=schema)
table.append(pa.table({"id": [1, 2, 3], "kind": ["a", "b", "a"]}, schema=schema))
with table.update_schema() as update:
    update.add_column("note", StringType())
table = catalog.load_table(ident)
table.append(pa.table({"id": [4], "kind": ["b"], "note": ["x"]}, schema=table.schema().as_arrow()))
table = catalog.load_table(ident)
rows = table.scan().to_arrow()
result = {
    "rows": rows.num_rows,
    "ids": sorted(rows.column("id").to_pylist()),
    "columns": [f.name for f in table.schema().fields],
    "location": table.location(),
    "data_files": [task.file.file_path for task in table.scan().plan_files()],
}
catalog.purge_table(ident)
result["exists_after_purge"] = catalog.table_exists(ident)
print("RESULT " + json.dumps(result, sort_keys=True))
