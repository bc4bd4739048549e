#!/usr/bin/env sh
# Catalog load benchmark: Floe vs Iceberg's reference RESTCatalogServer, side by side on loopback.
# Builds floe.jar (if missing) and the benchmark, then runs it (~4 minutes with the defaults).
# Tunables: -Dbench.tables=200 -Dbench.threads=1,4,16 -Dbench.seconds=8 -Dbench.warmup.seconds=3
# -Dbench.client=iceberg|jdk; Floe runs at default settings (authentication on with its --dev admin key, default
# rate limits): -Dbench.floe.auth=false and -Dbench.floe.rate-limits=off change that.
# -Dbench.vending=on runs Floe on an s3:// warehouse in moto's S3/STS (tools/s3/moto_sts_s3.py) with
# credential vending configured, measured with and without X-Iceberg-Access-Delegation, beside the reference server on a warehouse in the same S3. All via BENCH_OPTS. Results are printed and written to bench/catalog-load/results/.
# FLOE_JAR=/path/to/floe.jar measures that jar instead of this checkout's (e.g. one built from an older
# commit in a scratch git worktree, to compare before and after a change on the same machine).
set -eu
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
cd "$ROOT"
if [ -z "${FLOE_JAR:-}" ]; then
  FLOE_JAR=catalog/target/floe.jar
  [ -f "$FLOE_JAR" ] || ./mvnw -B -q -pl catalog -am package -DskipTests
fi
[ -f "$FLOE_JAR" ] || { echo "FLOE_JAR: no such file: $FLOE_JAR" >&2; exit 1; }
./mvnw -B -q -f bench/catalog-load/pom.xml package
CP="bench/catalog-load/target/catalog-load-0.1.0-SNAPSHOT.jar:$(cat bench/catalog-load/target/classpath.txt)"
mkdir -p bench/catalog-load/results
OUT="bench/catalog-load/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
{ echo "floe.jar: $FLOE_JAR"; java -Xmx1g ${BENCH_OPTS:-} -cp "$CP" dev.floe.bench.CatalogLoadBench "$FLOE_JAR"; } | tee "$OUT"
echo "results written to $OUT"
