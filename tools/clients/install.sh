#!/usr/bin/env bash
# Installs the stock Python Iceberg clients that the README tells users to point at Floe:
# PyIceberg (with pyarrow, to read and write data; adlfs for abfss:// tables and s3fs for S3 remote
# signing, through its fsspec FileIO) and PySpark with Iceberg's Spark runtime jar.
# PythonClientsIT, PyIcebergAdlsGcsIT and others run tools/clients/*.py with them against real catalogs.
# Output: a virtualenv at ${FLOE_CLIENTS_VENV:-~/.cache/floe/clients-venv} and the Spark runtime jar
# beside it. Idempotent: with a warm cache it checks the stamp and exits at once.
# Usage: tools/clients/install.sh     Prints the venv's python path on its last line.
set -euo pipefail

PYICEBERG_VERSION=0.12.0
ADLFS_VERSION=2026.8.0
S3FS_VERSION=2026.9.0
PYSPARK_VERSION=3.5.7
ICEBERG_VERSION=1.11.0
RUNTIME=iceberg-spark-runtime-3.5_2.12

venv="${FLOE_CLIENTS_VENV:-$HOME/.cache/floe/clients-venv}"
jar="$venv/jars/$RUNTIME-$ICEBERG_VERSION.jar"
stamp="$venv/.floe-clients-version"
want="pyiceberg=$PYICEBERG_VERSION adlfs=$ADLFS_VERSION s3fs=$S3FS_VERSION pyspark=$PYSPARK_VERSION $RUNTIME=$ICEBERG_VERSION"

if [[ -x "$venv/bin/python" && -f "$jar" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "clients up to date: $want"
  echo "$venv/bin/python"
  exit 0
fi

command -v python3 >/dev/null || { echo "install.sh: python3 not found (3.9+ with venv needed)" >&2; exit 1; }
start=$SECONDS
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "pyiceberg[pyarrow]==${PYICEBERG_VERSION}" "adlfs==${ADLFS_VERSION}" "s3fs==${S3FS_VERSION}" \
  "pyspark==${PYSPARK_VERSION}"

# The runtime jar comes from Maven Central, checked against the SHA-1 published beside it.
base="https://repo1.maven.org/maven2/org/apache/iceberg/$RUNTIME/$ICEBERG_VERSION/$RUNTIME-$ICEBERG_VERSION.jar"
mkdir -p "$venv/jars"
curl -fsSL -o "$jar.part" "$base"
expected="$(curl -fsSL "$base.sha1" | cut -c1-40)"
actual="$(sha1sum "$jar.part" | cut -c1-40)"
if [[ "$expected" != "$actual" ]]; then
  echo "install.sh: $RUNTIME jar SHA-1 mismatch (expected $expected, got $actual)" >&2
  rm -f "$jar.part"
  exit 1
fi
mv "$jar.part" "$jar"
echo "$want" > "$stamp"
echo "installed $want in $((SECONDS - start))s" >&2
echo "$venv/bin/python"
