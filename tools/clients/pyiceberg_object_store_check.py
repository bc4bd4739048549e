"""PyIceberg's life of a table on an object-store warehouse (ADLS, GCS, S3 with remote signing).

Usage: pyiceberg_object_store_check.py write|intrude LOCATION|purge
Environment: FLOE_URI, FLOE_TOKEN (optional: an API key), FLOE_NAMESPACE, FLOE_TABLE, and
FLOE_CLIENT_PROPERTIES: a JSON object of PyIceberg catalog properties for the storage (FileIO,
emulator endpoint, keys or signer), since the catalog answers no ADLS or GCS settings itself.

`write` creates the namespace and table, appends, adds a column, appends again and scans; `purge`
drops the table with purge; `intrude` tries to write LOCATION (another table's) through the table's
FileIO and reports the error it must get. They are separate runs so that the test can list the storage between
them. Each prints `RESULT <json>`; any failure raises and exits non-zero.
"""
import json
import os
import sys

import pyarrow as pa
from pyiceberg.catalog import load_catalog
from pyiceberg.types import StringType

properties = {"type": "rest", "uri": os.environ["FLOE_URI"]}
if os.environ.get("FLOE_TOKEN"):
    properties["token"] = os.environ["FLOE_TOKEN"]
properties.update(json.loads(os.environ.get("FLOE_CLIENT_PROPERTIES", "{}")))
catalog = load_catalog("floe", **properties)
namespace = os.environ["FLOE_NAMESPACE"]
ident = namespace + "." + os.environ["FLOE_TABLE"]

if sys.argv[1] == "write":
    if not catalog.namespace_exists(namespace):
        catalog.create_namespace(namespace)
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
        "io": type(table.io).__name__,
        "rows": rows.num_rows,
        "ids": sorted(rows.column("id").to_pylist()),
        "notes": sorted(n for n in rows.column("note").to_pylist() if n is not None),
        "columns": [f.name for f in table.schema().fields],
        "snapshots": len(table.snapshots()),
        "location": table.location(),
        "metadata_location": table.metadata_location,
        "data_files": sorted(task.file.file_path for task in table.scan().plan_files()),
        "s3_properties": sorted(k for k in table.io.properties if k.startswith("s3.")),
    }
elif sys.argv[1] == "intrude":
    table = catalog.load_table(ident)
    try:
        with table.io.new_output(sys.argv[2]).create(overwrite=True) as stream:
            stream.write(b"intruder")
        result = {"refused": False}
    except Exception as e:  # the test asserts on the error's text
        result = {"refused": True, "error": type(e).__name__ + ": " + str(e).splitlines()[0][:200]}
elif sys.argv[1] == "purge":
    catalog.purge_table(ident)
    result = {"exists_after_purge": catalog.table_exists(ident)}
else:
    raise SystemExit("usage: pyiceberg_object_store_check.py write|intrude LOCATION|purge")
print("RESULT " + json.dumps(result, sort_keys=True))
