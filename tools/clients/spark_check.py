"""Exercises a Floe catalog with Spark SQL and Iceberg's Spark runtime, configured as the README shows.

Environment: FLOE_URI, FLOE_TOKEN and FLOE_SPARK_RUNTIME_JAR (iceberg-spark-runtime). Prints one
line `RESULT <json>` that PythonClientsIT asserts on; any failure raises and exits non-zero.
"""
import json
import os

from pyspark.sql import SparkSession

spark = (SparkSession.builder.master("local[2]").appName("floe-spark-check")
         .config("spark.jars", os.environ["FLOE_SPARK_RUNTIME_JAR"])
         .config("spark.sql.extensions",
                 "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
         .config("spark.sql.catalog.floe", "org.apache.iceberg.spark.SparkCatalog")
         .config("spark.sql.catalog.floe.type", "rest")
         .config("spark.sql.catalog.floe.uri", os.environ["FLOE_URI"])
         .config("spark.sql.catalog.floe.token", os.environ["FLOE_TOKEN"])
         .config("spark.sql.shuffle.partitions", "2")
         .config("spark.default.parallelism", "2")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.sql("CREATE NAMESPACE floe.sparkdemo")
spark.sql("CREATE TABLE floe.sparkdemo.events (id BIGINT, kind STRING) USING iceberg PARTITIONED BY (kind)")
spark.sql("INSERT INTO floe.sparkdemo.events VALUES (1, 'a'), (2, 'b'), (3, 'a')")
spark.sql("ALTER TABLE floe.sparkdemo.events ADD COLUMN note STRING")
spark.sql("INSERT INTO floe.sparkdemo.events VALUES (4, 'b', 'x')")
counts = spark.sql("SELECT kind, count(*) AS c FROM floe.sparkdemo.events GROUP BY kind ORDER BY kind").collect()
snapshots = spark.sql("SELECT count(*) FROM floe.sparkdemo.events.snapshots").collect()[0][0]
spark.sql("DELETE FROM floe.sparkdemo.events WHERE id = 2")
after_delete = spark.sql("SELECT count(*) FROM floe.sparkdemo.events").collect()[0][0]
spark.sql("DROP TABLE floe.sparkdemo.events PURGE")
tables_after_drop = spark.sql("SHOW TABLES IN floe.sparkdemo").count()
spark.sql("DROP NAMESPACE floe.sparkdemo")
spark.stop()
print("RESULT " + json.dumps({"counts": {r["kind"]: r["c"] for r in counts}, "snapshots": snapshots,
                              "after_delete": after_delete, "tables_after_drop": tables_after_drop},
                             sort_keys=True))
