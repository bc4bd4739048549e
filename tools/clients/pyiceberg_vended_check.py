"""PyIceberg against a Floe catalog that vends S3 credentials: no storage keys on the client.

Environment: FLOE_URI, FLOE_TOKEN (a writer's API key), FLOE_NAMESPACE, FLOE_TABLE. The script is
given no S3 endpoint, region or keys; everything it needs for S3 comes from the catalog's
loadTable/createTable responses (storage-credentials and config). Prints `RESULT <json>`.
"""
import json
import os

import pyarrow as pa
from pyiceberg.catalog import load_catalog

for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
    assert name not in os.environ, name + " must not be set: only vended credentials may be used"

catalog = load_catalog("floe", **{"type": "rest", "uri": os.environ["FLOE_URI"],
                                  "token": os.environ["FLOE_TOKEN"]})
ident = os.environ["FLOE_NAMESPACE"] + "." + os.environ["FLOE_TABLE"]
schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("kind", pa.string())])
table = catalog.create_table(ident, schema=schema)
table.append(pa.table({"id": [1, 2, 3], "kind": ["a", "b", "a"]}, schema=schema))
table = catalog.load_table(ident)
table.append(pa.table({"id": [4], "kind": ["b"]}, schema=schema))
rows = catalog.load_table(ident).scan().to_arrow()
print("RESULT " + json.dumps({
    "rows": rows.num_rows,
    "ids": sorted(rows.column("id").to_pylist()),
    "location": table.location(),
    "data_files": [task.file.file_path for task in catalog.load_table(ident).scan().plan_files()],
}, sort_keys=True))
