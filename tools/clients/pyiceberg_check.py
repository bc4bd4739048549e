"""Exercises a Floe catalog with PyIceberg exactly as the README configures it.

Environment: FLOE_URI (the catalog's base URL) and FLOE_TOKEN (an API key). Prints one line
`RESULT <json>` that PythonClientsIT asserts on; any failure raises and exits non-zero.
"""
import json
import os

import pyarrow as pa
from pyiceberg.catalog import load_catalog
from pyiceberg.types import StringType

catalog = load_catalog("floe", **{"type": "rest", "uri": os.environ["FLOE_URI"],
                                  "token": os.environ["FLOE_TOKEN"]})
catalog.create_namespace("pydemo", {"owner": "pyiceberg"})
schema = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("kind", pa.string())])
table = catalog.create_table("pydemo.events", schema=schema)
table.append(pa.table({"id": [1, 2, 3], "kind": ["a", "b", "a"]}, schema=schema))
with table.update_schema() as update:
    update.add_column("note", StringType())
table = catalog.load_table("pydemo.events")
table.append(pa.table({"id": [4], "kind": ["b"], "note": ["x"]}, schema=table.schema().as_arrow()))
rows = catalog.load_table("pydemo.events").scan().to_arrow()
result = {
    "rows": rows.num_rows,
    "ids": sorted(rows.column("id").to_pylist()),
    "columns": [f.name for f in catalog.load_table("pydemo.events").schema().fields],
    "snapshots": len(catalog.load_table("pydemo.events").snapshots()),
    "tables": [".".join(t) for t in catalog.list_tables("pydemo")],
    "namespace_owner": catalog.load_namespace_properties("pydemo").get("owner"),
}
catalog.drop_table("pydemo.events")
result["tables_after_drop"] = len(catalog.list_tables("pydemo"))
catalog.drop_namespace("pydemo")
print("RESULT " + json.dumps(result, sort_keys=True))
